// Ergate dashboard: refreshes the job list and the overview's figures from the dashboard's JSON,
// without reloading the page. Hand-written, no build step; it writes text only (textContent), never HTML.
(function () {
  'use strict';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function link(href, text) {
    var a = el('a', null, text);
    a.href = href;
    return a;
  }

  function markLive(ok) {
    var live = document.getElementById('live');
    if (live) { live.classList.toggle('stale', !ok); }
  }

  function poll(url, interval, apply) {
    function tick() {
      fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) { throw new Error('HTTP ' + response.status); }
          return response.json();
        })
        .then(function (json) { apply(json); markLive(true); })
        .catch(function () { markLive(false); })
        .then(function () { setTimeout(tick, interval); });
    }
    setTimeout(tick, interval);
  }

  function jobRow(row, base, canAct) {
    var tr = el('tr');
    tr.setAttribute('data-id', row.id);
    var id = el('td', 'id mono');
    id.appendChild(link(base + row.href, row.id));
    tr.appendChild(id);
    tr.appendChild(el('td', null, row.workflow));
    var status = el('td');
    status.appendChild(el('span', 'badge ' + row.statusClass, row.status));
    tr.appendChild(status);
    tr.appendChild(el('td', 'mono', row.step));
    var progress = el('td');
    var bar = el('span', 'progress');
    var fill = el('span');
    fill.style.width = row.percent + '%';
    bar.appendChild(fill);
    progress.appendChild(bar);
    progress.appendChild(el('span', 'progress-text', row.percentText));
    tr.appendChild(progress);
    tr.appendChild(el('td', 'num', row.attempt));
    tr.appendChild(el('td', 'num', row.age));
    if (canAct) {
      var actions = el('td', 'actions');
      if (!row.isFinal) { actions.appendChild(link(base + row.href + '/cancel', 'cancel')); }
      if (row.status === 'FAILED' || row.status === 'ABORTED' || row.status === 'CANCELLED') {
        actions.appendChild(link(base + row.href + '/retry', 'retry'));
      }
      if (row.isFinal) { actions.appendChild(link(base + row.href + '/delete', 'delete')); }
      tr.appendChild(actions);
    }
    return tr;
  }

  function refreshJobs(body) {
    var url = body.getAttribute('data-jobs');
    var table = document.getElementById('jobs');
    if (!url || !table) { return; }
    var base = body.getAttribute('data-base');
    var canAct = body.getAttribute('data-can-act') === 'true';
    var tbody = table.querySelector('tbody');
    poll(url, Number(body.getAttribute('data-refresh')) || 2000, function (json) {
      var rows = document.createDocumentFragment();
      json.rows.forEach(function (row) { rows.appendChild(jobRow(row, base, canAct)); });
      if (json.rows.length === 0) {
        var empty = el('tr', 'empty');
        var cell = el('td', 'subtle', 'No job matches.');
        cell.colSpan = 8;
        empty.appendChild(cell);
        rows.appendChild(empty);
      }
      tbody.replaceChildren(rows);
    });
  }

  function refreshOverview(body) {
    var url = body.getAttribute('data-overview');
    if (!url) { return; }
    poll(url, Number(body.getAttribute('data-refresh')) || 2000, function (json) {
      document.querySelectorAll('[data-field]').forEach(function (node) {
        var value = json[node.getAttribute('data-field')];
        if (value !== undefined && value !== null) { node.textContent = String(value); }
      });
      document.querySelectorAll('[data-count]').forEach(function (node) {
        var value = json.counts[node.getAttribute('data-count')];
        if (value !== undefined) { node.textContent = String(value); }
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    refreshJobs(document.body);
    refreshOverview(document.body);
  });
})();
