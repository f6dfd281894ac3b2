// Offline card verifier (/verify/). Checks a card's signed token in the browser:
// base64url -> COSE_Sign1 -> Ed25519 signature (WebCrypto) against the cached public
// keys, then the signed revocation list and the expiry date. A service worker keeps
// the page, this script, the keys and the list, so it works with no network.
import { decode, encode, Tagged } from "./cbor.js";

const root = document.getElementById("verifier");
const T = JSON.parse(document.getElementById("verify-texts").textContent);
const keys = new Map();
let revocation = null;
let names = null;
let scanning = null;

const $ = (id) => document.getElementById(id);

function b64urlToBytes(text) {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("base64");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function pad(n) {
  return String(n).padStart(2, "0");
}

function formatDate(date) {
  return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
}

function formatDateTime(date) {
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function dayToDate(days) {
  return new Date(days * 86400000);
}

function todayDays() {
  const now = new Date();
  return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000);
}

function ageText(seconds) {
  const minutes = Math.max(0, Math.round((Date.now() / 1000 - seconds) / 60));
  if (minutes < 60) return T.age_minutes.replace("%(n)s", minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return T.age_hours.replace("%(n)s", hours);
  return T.age_days.replace("%(n)s", Math.round(hours / 24));
}

// COSE_Sign1 (RFC 9052): [protected bstr, unprotected map, payload bstr, signature bstr].
async function verifyCose(bytes) {
  let message = decode(bytes);
  if (message instanceof Tagged) {
    if (message.tag !== 18) throw new Error("tag");
    message = message.value;
  }
  if (!Array.isArray(message) || message.length !== 4) throw new Error("structure");
  const [protectedBytes, , payload, signature] = message;
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) {
    throw new Error("structure");
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw new Error("signature");
  const header = decode(protectedBytes);
  if (!(header instanceof Map) || header.get(1) !== -8) throw new Error("alg");
  const kid = header.get(4);
  if (!(kid instanceof Uint8Array)) throw new Error("kid");
  const key = keys.get(hex(kid));
  if (!key) throw new Error("unknown key");
  const toBeSigned = encode(["Signature1", protectedBytes, new Uint8Array(0), payload]);
  const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, toBeSigned);
  if (!ok) throw new Error("signature");
  return payload;
}

async function loadKeys() {
  const response = await fetch(root.dataset.keys, { cache: "no-cache" });
  if (!response.ok) throw new Error("keys");
  const data = await response.json();
  keys.clear();
  for (const entry of data.keys) {
    const key = await crypto.subtle.importKey(
      "raw", b64urlToBytes(entry.x), { name: "Ed25519" }, false, ["verify"],
    );
    keys.set(entry.kid, key);
  }
}

async function loadNames() {
  const response = await fetch(root.dataset.names, { cache: "no-cache" });
  if (!response.ok) throw new Error("names");
  names = await response.json();
}

function nameOf(kind, agency, code) {
  const entry = names && names[agency];
  const found = entry && entry[kind] && entry[kind][code];
  return found ? `${found} (${code})` : code;
}

async function loadRevocation() {
  const response = await fetch(root.dataset.revoked, { cache: "no-cache" });
  if (!response.ok) throw new Error("revoked");
  const payload = decode(await verifyCose(new Uint8Array(await response.arrayBuffer())));
  revocation = {
    issued: payload.get(1),
    revoked: new Set(payload.get(2) || []),
    pending: new Set(payload.get(3) || []),
  };
}

function showListState() {
  const el = $("list-state");
  if (!revocation) {
    el.textContent = T.list_missing;
    el.className = "notice";
    return;
  }
  const issued = new Date(revocation.issued * 1000);
  el.textContent = T.list_age
    .replace("%(date)s", formatDateTime(issued))
    .replace("%(age)s", ageText(revocation.issued))
    .replace("%(n)s", revocation.revoked.size);
  const old = Date.now() / 1000 - revocation.issued > 7 * 86400;
  el.className = old ? "notice" : "hint";
}

function extractToken(text) {
  let value = (text || "").trim();
  const at = value.lastIndexOf("/v/");
  if (at >= 0) value = value.slice(at + 3);
  value = value.split(/[?#/\s]/)[0];
  return value;
}

async function check(text) {
  const token = extractToken(text);
  let claims;
  try {
    if (!token || token.length > 400) throw new Error("empty");
    const payload = await verifyCose(b64urlToBytes(token));
    claims = decode(payload);
    if (!(claims instanceof Map) || typeof claims.get(1) !== "string") throw new Error("claims");
  } catch (error) {
    return { verdict: "invalid", reason: T.reason_invalid };
  }
  const number = claims.get(1);
  if (revocation && revocation.revoked.has(number)) {
    return { verdict: "revoked", claims, reason: T.reason_revoked };
  }
  if (revocation && revocation.pending.has(number)) {
    return { verdict: "pending", claims, reason: T.reason_pending };
  }
  if (claims.get(9) < todayDays()) {
    return { verdict: "expired", claims, reason: T.reason_expired };
  }
  return { verdict: "valid", claims, reason: revocation ? T.reason_valid : T.reason_valid_nolist };
}

function show(result) {
  const box = $("result");
  box.hidden = false;
  box.className = `check check-${result.verdict}`;
  $("verdict").textContent = T.verdicts[result.verdict];
  $("reason").textContent = result.reason;
  const facts = $("claims");
  facts.replaceChildren();
  $("holder").hidden = !result.claims;
  if (!result.claims) return;
  const c = result.claims;
  const rows = [
    [T.claim_name, `${String(c.get(3)).toUpperCase()} ${c.get(4)}`],
    [T.claim_matricule, c.get(2)],
    [T.claim_grade, nameOf("grades", c.get(7), c.get(5))],
    [T.claim_unit, nameOf("units", c.get(7), c.get(6))],
    [T.claim_agency, names && names[c.get(7)] ? names[c.get(7)].name : c.get(7)],
    [T.claim_number, c.get(1)],
    [T.claim_issued, formatDate(dayToDate(c.get(8)))],
    [T.claim_expires, formatDate(dayToDate(c.get(9)))],
  ];
  for (const [label, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = String(value);
    facts.append(dt, dd);
  }
}

async function runCheck(text) {
  show(await check(text));
}

function stopScan() {
  if (!scanning) return;
  scanning.stop = true;
  for (const track of scanning.stream.getTracks()) track.stop();
  $("camera").hidden = true;
  scanning = null;
}

function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = root.dataset.jsqr;
    script.onload = () => resolve(window.jsQR);
    script.onerror = reject;
    document.head.append(script);
  });
}

async function startScan() {
  stopScan();
  const status = $("scan-state");
  let detect;
  try {
    if ("BarcodeDetector" in window
        && (await window.BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      detect = async (video) => {
        const found = await detector.detect(video);
        return found.length ? found[0].rawValue : null;
      };
    } else {
      const jsQR = await loadJsQR();
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      detect = async (video) => {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        if (!canvas.width) return null;
        context.drawImage(video, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return code ? code.data : null;
      };
    }
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" }, audio: false,
    });
    const video = $("video");
    video.srcObject = stream;
    $("camera").hidden = false;
    await video.play();
    scanning = { stream, stop: false };
    status.textContent = T.scan_running;
    const current = scanning;
    const tick = async () => {
      if (current.stop) return;
      const value = await detect(video).catch(() => null);
      if (value) {
        stopScan();
        status.textContent = "";
        $("link").value = value;
        runCheck(value);
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  } catch (error) {
    stopScan();
    status.textContent = T.scan_unavailable;
  }
}

async function refresh() {
  const state = $("net-state");
  try {
    await loadKeys();
  } catch (error) {
    state.textContent = T.keys_missing;
    state.className = "notice";
    return;
  }
  try {
    await loadRevocation();
  } catch (error) {
    revocation = null;
  }
  try {
    await loadNames();
  } catch (error) {
    names = null;
  }
  showListState();
  state.textContent = navigator.onLine ? T.online : T.offline;
  state.className = "hint";
  root.dataset.ready = "1";
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) {
    $("sw-state").textContent = T.sw_unavailable;
    return;
  }
  try {
    await navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope });
    await navigator.serviceWorker.ready;
    if (await caches.match(root.dataset.revoked)) {
      root.dataset.offlineReady = "1";
      $("sw-state").textContent = T.sw_ready;
    }
  } catch (error) {
    $("sw-state").textContent = T.sw_unavailable;
  }
}

$("check-form").addEventListener("submit", (event) => {
  event.preventDefault();
  runCheck($("link").value);
});
$("scan").addEventListener("click", startScan);
$("scan-stop").addEventListener("click", stopScan);
window.addEventListener("online", refresh);
window.addEventListener("offline", () => {
  $("net-state").textContent = T.offline;
});

// Opened from a card's QR (/v/<token>) with no network: the service worker answered with
// this page, so check the token of the address at once.
function checkFromAddress() {
  if (location.pathname.startsWith(root.dataset.check)) {
    const token = location.pathname.slice(root.dataset.check.length);
    $("link").value = location.href;
    return runCheck(token);
  }
  return null;
}

refresh().then(checkFromAddress).then(registerWorker);
