// The dashboard's charts, drawn by hand as inline SVG from GET /dlqs/{queueName}/history's points (API.md
// section 13): no charting library, nothing the CSP must allow beyond the page's own hashed script and
// style. Built with createElementNS and attributes only (no markup, no style attributes): numbers in,
// shapes out; the few words (axis labels, the summary) are set as text.
(() => {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const HOUR_MS = 3600 * 1000;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The points inside the window, oldest first, with their time as a number; malformed points are left out. */
  function usable(points, fromMs, toMs) {
    return (Array.isArray(points) ? points : [])
      .map((point) => ({ at: Date.parse(point && point.at), depth: point && point.ApproximateNumberOfMessages, added: (point && point.NewMessages) || 0 }))
      .filter((point) => Number.isFinite(point.at) && typeof point.depth === 'number' && point.at >= fromMs && point.at <= toMs)
      .sort((a, b) => a.at - b.at);
  }

  /** "0 → 12 messages, peak 30, 5 new": what the line shows, for screen readers and the tooltip. */
  function describe(points, hours) {
    if (points.length === 0) return 'No figures in the last ' + hours + ' hours';
    const first = points[0].depth;
    const last = points[points.length - 1].depth;
    const peak = Math.max(...points.map((point) => point.depth));
    const added = points.reduce((sum, point) => sum + point.added, 0);
    return 'Last ' + hours + ' hours: ' + first + ' → ' + last + ' messages, peak ' + peak + ', ' + added + ' new';
  }

  /**
   * Places the points in a box: x by time over [now - hours, now], y by depth over [0, peak]; the
   * coordinates rounded to 0.1 so the attribute stays short.
   */
  function place(points, box, fromMs, toMs) {
    const peak = Math.max(1, ...points.map((point) => point.depth));
    const x = (at) => Math.round((box.left + ((at - fromMs) / (toMs - fromMs)) * box.width) * 10) / 10;
    const y = (depth) => Math.round((box.top + box.height - (depth / peak) * box.height) * 10) / 10;
    return { peak, x, y };
  }

  /** A row's sparkline: the depth as a line, each run that found new messages as a tick on the floor. */
  function sparkline(history, nowMs, hours = 24) {
    const width = 120;
    const height = 28;
    const toMs = nowMs;
    const fromMs = nowMs - hours * HOUR_MS;
    const points = usable(history && history.points, fromMs, toMs);
    const summary = describe(points, hours);
    const root = svg('svg', { class: 'sparkline', width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': summary });
    root.append(svg('title', {}, summary));
    root.append(svg('line', { class: 'spark-floor', x1: 0, y1: height - 1, x2: width, y2: height - 1 }));
    if (points.length === 0) return root;
    const { x, y } = place(points, { left: 1, top: 2, width: width - 2, height: height - 5 }, fromMs, toMs);
    root.append(svg('polyline', { class: 'spark-line', points: points.map((point) => x(point.at) + ',' + y(point.depth)).join(' ') }));
    for (const point of points.filter((entry) => entry.added > 0)) {
      root.append(svg('rect', { class: 'spark-new', x: x(point.at) - 1, y: height - 4, width: 2, height: 4 }));
    }
    return root;
  }

  /** A DLQ view's chart: the depth as a filled line, the new messages of each run as bars, its peak and period written on it. */
  function historyChart(history, nowMs, hours) {
    const width = 720;
    const height = 180;
    const box = { left: 48, top: 10, width: width - 60, height: height - 40 };
    const toMs = nowMs;
    const fromMs = nowMs - hours * HOUR_MS;
    const points = usable(history && history.points, fromMs, toMs);
    const summary = describe(points, hours);
    const root = svg('svg', { class: 'history-chart', viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': summary });
    root.append(svg('title', {}, summary));
    const { peak, x, y } = place(points, box, fromMs, toMs);
    const floor = box.top + box.height;
    root.append(svg('line', { class: 'chart-axis', x1: box.left, y1: floor, x2: box.left + box.width, y2: floor }));
    root.append(svg('line', { class: 'chart-grid', x1: box.left, y1: box.top, x2: box.left + box.width, y2: box.top }));
    root.append(svg('text', { class: 'chart-label', x: box.left - 6, y: box.top + 4, 'text-anchor': 'end' }, String(peak)));
    root.append(svg('text', { class: 'chart-label', x: box.left - 6, y: floor + 4, 'text-anchor': 'end' }, '0'));
    // "24 h ago" rather than a clock time: a day ago reads the same time as now
    root.append(svg('text', { class: 'chart-label', x: box.left, y: height - 8, 'text-anchor': 'start' }, hours > 48 ? new Date(fromMs).toLocaleDateString() : hours + ' h ago'));
    root.append(svg('text', { class: 'chart-label', x: box.left + box.width, y: height - 8, 'text-anchor': 'end' }, 'now'));
    if (points.length === 0) return root;
    for (const point of points.filter((entry) => entry.added > 0)) {
      const top = y(Math.min(point.added, peak));
      root.append(svg('rect', { class: 'chart-new', x: x(point.at) - 1.5, y: top, width: 3, height: Math.max(1, floor - top) }));
    }
    const line = points.map((point) => x(point.at) + ',' + y(point.depth));
    root.append(svg('polygon', { class: 'chart-area', points: [x(points[0].at) + ',' + floor, ...line, x(points[points.length - 1].at) + ',' + floor].join(' ') }));
    root.append(svg('polyline', { class: 'chart-line', points: line.join(' ') }));
    return root;
  }

  Object.assign(window.redriveDashboard, { sparkline, historyChart, describeHistory: (history, nowMs, hours) => describe(usable(history && history.points, nowMs - hours * HOUR_MS, nowMs), hours) });
})();
