/* Draws every <canvas data-chart> with Chart.js from the table it names: the table is the data,
   so what the chart shows and what a screen reader reads are the same figures. */
(function () {
  'use strict';
  var COLOURS = ['#13315c', '#2a9d8f', '#e76f51', '#a4161a', '#6a4c93', '#f4a261', '#264653'];
  function valueOf(cell) {
    var holder = cell && (cell.hasAttribute('data-value') ? cell : cell.querySelector('[data-value]'));
    var text = holder ? holder.getAttribute('data-value') : '';
    return text === '' || text === null ? null : Number(text);
  }
  function draw(canvas) {
    var table = document.getElementById(canvas.getAttribute('data-table'));
    if (!table || typeof Chart === 'undefined') return;
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var dashed = (canvas.getAttribute('data-dashed') || '').split(',').filter(Boolean).map(Number);
    var series = canvas.getAttribute('data-series').split(',').map(Number);
    // A colour the page pins (a threshold: poor, MCOS, outstanding) wins over the palette's turn.
    var pinned = (canvas.getAttribute('data-colours') || '').split(',');
    var datasets = series.map(function (column, index) {
      var colour = pinned[index] || COLOURS[index % COLOURS.length];
      return {
        label: headers[column],
        data: rows.map(function (row) { return valueOf(row.cells[column]); }),
        borderColor: colour,
        backgroundColor: colour,
        borderDash: dashed.indexOf(column) >= 0 ? [6, 4] : [],
        pointRadius: dashed.indexOf(column) >= 0 ? 0 : 3,
        spanGaps: true
      };
    });
    new Chart(canvas, {
      type: canvas.getAttribute('data-chart'),
      data: { labels: rows.map(function (row) { return (row.cells[0].querySelector('a, strong') || row.cells[0]).textContent.trim(); }), datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('canvas[data-chart]'), draw);
})();
