// Demo pages only: the event page and the console take the widget's service worker, so the
// tablet works with no signal after one visit online. A council page decides for itself.
(function () {
  if (!('serviceWorker' in navigator) || !document.currentScript) return;
  var worker = new URL('sw.js', document.currentScript.src).href;
  addEventListener('load', function () {
    navigator.serviceWorker.register(worker).catch(function (e) { console.warn('service worker:', e); });
  });
})();
