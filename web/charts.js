// @ts-check
// Chart.js, served locally, loaded on first use.
let loading;
function chartLib() {
  loading ??= import('/vendor/chart.js').then(() => globalThis.Chart);
  return loading;
}

const PALETTE = ['#2f6fdf', '#d9822b', '#2e9e6a', '#b8489b', '#6b5bd6', '#c0392b', '#1f8a99'];

/** A horizontal bar chart of scores 0–100, with a text table beside it for screen readers. */
export async function barChart(canvas, labels, values, title) {
  const Chart = await chartLib();
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${title}: ${labels.map((l, i) => `${l} ${values[i]}`).join(', ')}`);
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: title, data: values, backgroundColor: labels.map((_, i) => PALETTE[i % PALETTE.length]) }] },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100 } },
      plugins: { legend: { display: false } },
    },
  });
}

/** Lines of scores over time, one per series. */
export async function lineChart(canvas, labels, series, title) {
  const Chart = await chartLib();
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `${title}: ${series.map((s) => `${s.label} ${s.data.filter((v) => v !== null).join(', ')}`).join('; ')}`,
  );
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.data,
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        spanGaps: true,
        tension: 0.2,
      })),
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
  });
}
