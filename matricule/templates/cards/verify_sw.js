// Service worker of the offline card verifier: keeps the page, its scripts, the public
// keys, the revocation list and the names of units and grades; always tries the network
// first so they stay fresh. Registered with scope "/" so that a card's QR code (/v/<token>)
// opened with no network gets the verifier, which checks the token on the phone.
const CACHE = "matricule-verify-{{ version }}";
const PAGE = "{% url 'verify:page' %}";
const CHECK = "{{ check_prefix|escapejs }}";
const ASSETS = [
  PAGE,
  "{% url 'verify:keys' %}",
  "{% url 'verify:revoked' %}",
  "{% url 'verify:names' %}",{% for asset in assets %}
  "{{ asset|escapejs }}",{% endfor %}
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("matricule-verify-") && n !== CACHE).map((n) => caches.delete(n)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(CHECK)) {
    // A card's QR: the server's page when online (photo, live state), else the verifier.
    event.respondWith(fetch(request).catch(() => caches.match(PAGE).then((hit) => hit || Response.error())));
    return;
  }
  if (!url.pathname.startsWith(PAGE) && !ASSETS.includes(url.pathname)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.pathname).then(
        (hit) => hit || (request.mode === "navigate" ? caches.match(PAGE) : Response.error()),
      )),
  );
});
