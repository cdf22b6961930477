// Demo host page only: ?survey=NAME picks one of the built-in surveys, and the tab is titled
// for it from the start (the page opts in to the widget retitling the tab as the person moves
// on, with data-manage-title). Runs before the widget starts: module scripts wait for it.
(function () {
  var titles = {
    'carers-strategy': 'Help shape our carers’ strategy',
    'co-production': 'Have a bigger say in adult social care',
    'discharge-reablement': 'Leaving hospital and getting back on your feet'
  };
  var name = new URLSearchParams(location.search).get('survey');
  var host = document.getElementById('demo-survey');
  if (host && name && Object.prototype.hasOwnProperty.call(titles, name)) {
    host.setAttribute('data-survey-src', 'surveys/' + name + '.json');
    document.title = titles[name];
  }
  // "You said, we did" comes from the same reference collector as the endpoint (README,
  // "Outcomes"); a host page names it with data-outcomes, or a survey with "outcomes".
  var endpoint = host && host.getAttribute('data-endpoint');
  if (endpoint && /\/responses$/.test(endpoint)) {
    var id = (host.getAttribute('data-survey-src') || '').replace(/^.*\/|\.json$/g, '');
    host.setAttribute('data-outcomes', endpoint.replace(/\/responses$/, '/surveys/' + id + '/outcomes.json'));
  }
})();
