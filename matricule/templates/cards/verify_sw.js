// Service worker of the offline card verifier: keeps the page, its scripts, the public
// keys and the revocation list; always tries the network first so they stay fresh.
const CACHE = "matricule-verify-{{ version }}";
const PAGE = "{% url 'verify:page' %}";
const ASSETS = [
  PAGE,
  "{% url 'verify:keys' %}",
  "{% url 'verify:revoked' %}",{% for asset in assets %}
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
