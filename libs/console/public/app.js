// livepromo operator console: plain ES module, talks to the REST API on this origin with the tenant key.
// Charts are Apache ECharts (served from node_modules as /console/vendor/echarts.min.js, global `echarts`).
import { applyStatic, getLang, setLang, t } from './i18n.js';

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};
const locale = () => (getLang() === 'zh' ? 'zh-CN' : 'en-US');
const yuan = (minor) => (Number(minor) / 100).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toLocaleString(locale(), { maximumFractionDigits: d }));
const hhmm = (iso) => new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
const metricName = (m) => (m ? t(`metric.${m}`) : '–');

let key = sessionStorage.getItem('livepromo.key') || '';
let view = 'live';
let current = null; // selected live session id
let picked = false; // whether the operator chose it (else the live room is shown)
let sessions = []; // the tenant's sessions (GET /v1/live-sessions)
let stream = null; // EventSource
let reloadTimer = null;
const charts = new Map(); // container id → echarts instance

function showError(message) {
  const box = $('#error');
  box.hidden = !message;
  box.textContent = message || '';
}

/** fetch with the key; throws an Error whose message says what went wrong (status, code, server message). */
async function api(path, opts = {}) {
  let res;
  try {
    res = await fetch(path, { ...opts, headers: { authorization: `Bearer ${key}`, ...(opts.body ? { 'content-type': 'application/json' } : {}), ...(opts.headers || {}) } });
  } catch {
    throw new Error(t('err.network'));
  }
  if (res.status === 401) {
    signOut();
    throw new Error(t('err.refused'));
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    const e = body && body.error;
    throw new Error(`${res.status} ${e ? `${e.code}: ${e.message}` : res.statusText}`);
  }
  return opts.raw ? res : res.json();
}

// ---------------------------------------------------------------- charts
const COLORS = ['#ff6b8b', '#4dabf7', '#3ecf8e', '#f5a524', '#b197fc'];

function chart(container) {
  let c = charts.get(container.id);
  if (c && c.getDom() !== container) {
    c.dispose();
    c = undefined;
  }
  if (!c) {
    c = echarts.init(container, null, { renderer: 'svg' });
    charts.set(container.id, c);
  }
  return c;
}
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

/** A time-axis line chart: series [{ name, data: [[ms, value]] }], a unit on the y axis, tooltips; optional band [lo, hi]. */
function timeChart(container, { series, unit, band, yMax, bars = false, days = false }) {
  container.setAttribute('aria-label', `${series.map((s) => s.name).join(', ')} (${unit})`);
  chart(container).setOption(
    {
      backgroundColor: 'transparent',
      color: COLORS,
      animation: false,
      grid: { left: 48, right: 16, top: series.length > 1 ? 28 : 12, bottom: 28 },
      legend: series.length > 1 ? { top: 0, textStyle: { color: '#c9ced8' } } : undefined,
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${fmt(v, 2)} ${unit}` },
      xAxis: { type: 'time', splitNumber: container.clientWidth < 400 ? 3 : 6, axisLabel: { color: '#c9ced8', hideOverlap: true, formatter: (v) => (days ? new Date(v).toLocaleDateString(locale(), { month: '2-digit', day: '2-digit' }) : hhmm(v)) }, axisLine: { lineStyle: { color: '#555' } } },
      yAxis: { type: 'value', name: unit, max: yMax, nameTextStyle: { color: '#c9ced8' }, axisLabel: { color: '#c9ced8' }, splitLine: { lineStyle: { color: '#2a2e38' } } },
      series: series.map((s, i) => ({
        name: s.name,
        type: bars ? 'bar' : 'line',
        showSymbol: s.data.length < 3,
        data: s.data,
        yAxisIndex: 0,
        ...(band && i === 0
          ? { markArea: { silent: true, itemStyle: { color: 'rgba(62,207,142,0.12)' }, label: { color: '#9aa3b2', position: 'insideTopRight' }, data: [[{ yAxis: band[0], name: 'p20–p80' }, { yAxis: band[1] }]] } }
          : {}),
      })),
    },
    true,
  );
}

// ---------------------------------------------------------------- sign in / navigation
function signOut() {
  sessionStorage.removeItem('livepromo.key');
  key = '';
  if (stream) stream.close();
  stream = null;
  $('#tabs').hidden = true;
  document.querySelectorAll('.view').forEach((v) => (v.hidden = true));
  $('#signin').hidden = false;
}

async function signIn(k) {
  key = k.trim();
  try {
    await api('/v1/live-sessions?limit=1');
  } catch (e) {
    showError(e.message);
    return;
  }
  sessionStorage.setItem('livepromo.key', key);
  showError('');
  $('#signin').hidden = true;
  $('#tabs').hidden = false;
  show(location.hash.slice(1) || view);
}

const LOADERS = {
  overview: () => loadOverview(),
  live: () => loadSessions(),
  review: () => loadReview(),
  roi: () => loadRoi(),
  finder: () => loadFinder(),
};

function show(v) {
  if (!LOADERS[v]) v = 'live';
  view = v;
  document.querySelectorAll('#tabs button[data-view]').forEach((b) => {
    b.classList.toggle('active', b.dataset.view === v);
    if (b.dataset.view === v) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  });
  document.querySelectorAll('.view').forEach((s) => (s.hidden = s.id !== `view-${v}`));
  showError('');
  if (v !== 'live' && stream) {
    stream.close();
    stream = null;
  }
  LOADERS[v]().catch((e) => showError(e.message));
  requestAnimationFrame(() => charts.forEach((c) => c.resize()));
}

// ---------------------------------------------------------------- overview of today
function dayRange(daysBack = 0) {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  const from = new Date(d.getTime() - daysBack * 86_400_000);
  return { from: from.toISOString(), to: new Date(d.getTime() + 86_400_000).toISOString() };
}

async function loadOverview() {
  const today = dayRange(0);
  const week = dayRange(6);
  const q = (r) => `from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`;
  const [report, days, list] = await Promise.all([api(`/v1/roi/reports?dimension=streamer&${q(today)}&limit=1`), api(`/v1/roi/reports?dimension=day&${q(week)}&limit=50`), api('/v1/live-sessions?limit=50')]);
  sessions = list.sessions;
  const live = sessions.filter((s) => s.live);
  const tt = report.totals;
  const kpis = [
    ['gmv', 'ov.gmv', tt.revenue.grossPaidMinor ?? tt.revenue.netMinor, yuan(tt.revenue.grossPaidMinor ?? tt.revenue.netMinor)],
    ['net', 'ov.net', tt.revenue.netMinor, yuan(tt.revenue.netMinor)],
    ['roi', 'ov.roi', tt.roi, fmt(tt.roi, 2)],
    ['orders', 'ov.orders', tt.sample.paidOrders, fmt(tt.sample.paidOrders, 0)],
    ['live', 'ov.liveRooms', live.length, String(live.length)],
  ];
  $('#ov-kpis').replaceChildren(...kpis.map(([id, label, raw, shown]) => el('div', {}, el('dt', {}, t(label)), el('dd', { 'data-kpi': id, 'data-value': String(raw ?? '') }, shown))));
  const rooms = await Promise.all(live.map((s) => api(`/v1/live-sessions/${encodeURIComponent(s.sessionId)}?history=1`).catch(() => null)));
  $('#ov-rooms').replaceChildren(
    ...(live.length === 0
      ? [el('li', { class: 'muted' }, t('ov.noLive'))]
      : live.map((s, i) => {
          const w = rooms[i] && (rooms[i].windows['60s'] || [])[0];
          const worst = w ? w.worstMetric : null;
          return el(
            'li',
            { 'data-room': s.sessionId },
            el('b', {}, s.sessionId, el('span', { class: 'badge' }, t('live.badge'))),
            el('span', { class: 'muted' }, `${s.streamerId ?? '?'} · ${t('ov.viewers', { n: w ? fmt(w.metrics.concurrentViewers, 0) : '–' })}`),
            el('span', {}, `${t('live.worst')}: `, el('b', { 'data-room-worst': s.sessionId, 'data-value': worst ?? '' }, metricName(worst))),
            el('button', { type: 'button', onclick: () => ((current = s.sessionId), (picked = true), show('live')) }, t('ov.open')),
          );
        })),
  );
  const rows = [...days.rows].sort((a, b) => (a.key < b.key ? -1 : 1));
  timeChart($('#ov-week'), { bars: true, days: true, unit: '¥', series: [{ name: t('roi.net'), data: rows.map((r) => [Date.parse(`${r.key}T00:00:00Z`), r.revenue.netMinor / 100]) }] });
}

// ---------------------------------------------------------------- live room
function sessionLabel(s) {
  return `${s.sessionId} · ${s.streamerId ?? '?'} · ${s.live ? t('live.badge') : t('live.ended')}`;
}

async function loadSessions() {
  ({ sessions } = await api('/v1/live-sessions?limit=50'));
  const sel = $('#session');
  sel.replaceChildren(...sessions.map((s) => el('option', { value: s.sessionId }, sessionLabel(s))));
  if (sessions.length === 0) {
    sel.append(el('option', { value: '' }, t('live.none')));
    return;
  }
  const chosen = sessions.find((s) => s.sessionId === current);
  const pick = (picked && chosen) || sessions.find((s) => s.live) || chosen || sessions[0];
  sel.value = pick.sessionId;
  renderSessionList();
  await openSession(pick.sessionId);
}

function renderSessionList() {
  $('#session-list').replaceChildren(
    ...sessions.slice(0, 12).map((s) =>
      el(
        'li',
        {},
        el('button', { type: 'button', class: s.sessionId === current ? 'current' : '', 'data-session': s.sessionId, onclick: () => (($('#session').value = s.sessionId), (picked = true), openSession(s.sessionId).catch((e) => showError(e.message))) }, s.sessionId, el('span', { class: s.live ? 'badge' : 'badge ended', 'data-live': String(s.live) }, s.live ? t('live.badge') : t('live.ended'))),
      ),
    ),
  );
}

async function openSession(id) {
  current = id;
  renderSessionList();
  if (stream) stream.close();
  await renderState();
  // live updates: EventSource cannot send headers, so the key goes in the query (see the API docs)
  stream = new EventSource(`/v1/live-sessions/${encodeURIComponent(id)}/stream?key=${encodeURIComponent(key)}`);
  const status = $('#live-status');
  stream.onopen = () => (status.textContent = t('live.on'));
  stream.onerror = () => (status.textContent = t('live.reconnecting'));
  const soon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => renderState().catch((e) => showError(e.message)), 250);
  };
  stream.addEventListener('metrics', soon);
  stream.addEventListener('suggestion', soon);
}

const SERIES = [
  ['viewers', 'series.viewers', 'unit.people', (m) => m.concurrentViewers],
  ['engagement', 'series.engagement', 'unit.perMin', (m) => m.engagementPerViewer],
  ['clicks', 'series.clicks', 'unit.perMin', (m) => m.productClicks],
  ['orders', 'series.orders', 'unit.perMin', (m) => m.orders],
  // revenuePerThousandViewers = yuan · 1000 / max(1, viewers): back to yuan in the window
  ['revenue', 'series.revenue', 'unit.yuan', (m) => (m.revenuePerThousandViewers * Math.max(1, m.concurrentViewers)) / 1000],
];

function sortedWindows(st) {
  return [...(st.windows['60s'] || [])].sort((a, b) => (a.windowEnd < b.windowEnd ? -1 : 1));
}

async function renderState() {
  if (!current || view !== 'live') return;
  const st = await api(`/v1/live-sessions/${encodeURIComponent(current)}?history=50`);
  const status = $('#live-status');
  status.classList.toggle('live', !st.endedAt);
  if (st.endedAt) status.textContent = t('live.ended');
  const windows = sortedWindows(st);
  const latest = windows[windows.length - 1];
  const box = $('#charts');
  if (box.children.length !== SERIES.length) {
    box.replaceChildren(
      ...SERIES.map(([id, label]) => el('figure', { class: 'chart', 'data-series': id }, el('figcaption', {}, el('span', {}, t(label)), el('b', { 'data-latest': id, 'data-value': '' }, '–')), el('div', { class: 'echart', id: `chart-${id}`, role: 'img' }))),
    );
  }
  for (const [id, label, unit, f] of SERIES) {
    const data = windows.map((w) => [Date.parse(w.windowEnd), Number(f(w.metrics)) || 0]);
    const last = data.length ? data[data.length - 1][1] : null;
    const fig = box.querySelector(`[data-series="${id}"]`);
    fig.querySelector('figcaption span').textContent = t(label);
    const b = fig.querySelector('[data-latest]');
    b.dataset.value = String(last ?? '');
    b.textContent = fmt(last);
    timeChart(fig.querySelector('.echart'), { unit: t(unit), series: [{ name: t(label), data }] });
  }
  // percentile of the latest windows against the streamer's past sessions (else same-category peers)
  const pct = (w, m) => (w.streamerPercentile && w.streamerPercentile[m] !== undefined ? w.streamerPercentile[m] : w.categoryPercentile ? w.categoryPercentile[m] : undefined);
  const pctSeries = ['engagementPerViewer', 'clickToOrderConversion', 'concurrentViewers'].map((m) => ({ name: metricName(m), data: windows.filter((w) => pct(w, m) !== undefined).map((w) => [Date.parse(w.windowEnd), pct(w, m)]) }));
  timeChart($('#pct-chart'), { unit: t('unit.pct'), yMax: 100, band: [20, 80], series: pctSeries });

  const m = latest ? latest.metrics : {};
  $('#worst').textContent = latest && latest.worstMetric ? metricName(latest.worstMetric) : '–';
  $('#worst').dataset.value = latest && latest.worstMetric ? latest.worstMetric : '';
  $('#worst-detail').textContent = latest
    ? `${t('live.windowEnding', { time: hhmm(latest.windowEnd), basis: latest.worstBasis ?? 'previous window' })}${latest.worstScore !== null && latest.worstScore !== undefined ? ` · ${fmt(latest.worstScore)}` : ''}`
    : t('live.noWindow');
  const figures = [
    ['viewers', 'fig.viewers', m.concurrentViewers, 0],
    ['new viewers', 'fig.newViewers', m.newViewers, 0],
    ['drop-off rate', 'fig.dropOff', m.dropOffRate, 3],
    ['comments / min', 'fig.comments', m.commentsPerMin, 1],
    ['clicks', 'fig.clicks', m.productClicks, 0],
    ['orders', 'fig.orders', m.orders, 0],
    ['click → order', 'fig.conv', m.clickToOrderConversion, 3],
  ];
  $('#figures').replaceChildren(...figures.flatMap(([id, k, v, d]) => [el('dt', {}, t(k)), el('dd', { 'data-figure': id, 'data-value': String(v ?? '') }, fmt(v, d))]));
  const intents = ['priceQuestionsPerMin', 'howToBuyQuestionsPerMin', 'courseContentQuestionsPerMin', 'complaintsPerMin', 'negativeShare', 'classifiedComments'];
  $('#intents').replaceChildren(...intents.map((id) => el('li', {}, el('span', {}, t(`intent.${id}`)), el('b', { 'data-intent': id, 'data-value': String(m[id] ?? '') }, fmt(m[id], 2)))));
  const list = $('#suggestions');
  if (st.suggestions.length === 0) list.replaceChildren(el('li', { class: 'muted' }, t('live.noSuggestion')));
  else list.replaceChildren(...st.suggestions.map((s) => suggestionItem(s)));
}

function suggestionItem(s) {
  const actions = el('div', { class: 'actions' });
  if (s.feedback) actions.append(el('span', { class: `tag ${s.feedback}`, 'data-feedback': s.feedback }, s.feedback));
  else {
    const send = (decision) => async () => {
      actions.querySelectorAll('button').forEach((b) => (b.disabled = true));
      try {
        await api(`/v1/live-sessions/${encodeURIComponent(current)}/suggestions/${encodeURIComponent(s.suggestionId)}/feedback`, { method: 'POST', body: JSON.stringify({ decision }) });
        await renderState();
      } catch (e) {
        showError(e.message);
        actions.querySelectorAll('button').forEach((b) => (b.disabled = false));
      }
    };
    actions.append(el('button', { type: 'button', 'data-accept': s.suggestionId, onclick: send('accepted') }, t('live.accept')), el('button', { type: 'button', class: 'quiet', onclick: send('ignored') }, t('live.ignore')));
  }
  return el(
    'li',
    { 'data-suggestion': s.suggestionId },
    el('div', { class: 'head' }, el('b', {}, `${s.strategy.replaceAll('_', ' ')}`), el('span', { class: 'tag' }, s.trigger), el('span', { class: 'muted' }, t('live.expected', { u: fmt(s.expectedUplift, 3), c: fmt(s.confidence, 2) }))),
    el('p', { class: 'reason' }, s.reason),
    actions,
  );
}

// ---------------------------------------------------------------- session review
async function loadReview() {
  if (!sessions.length) ({ sessions } = await api('/v1/live-sessions?limit=50'));
  const sel = $('#review-session');
  sel.replaceChildren(...sessions.map((s) => el('option', { value: s.sessionId }, sessionLabel(s))));
  const pick = sessions.find((s) => s.sessionId === sel.dataset.picked) ?? sessions.find((s) => s.live) ?? sessions[0];
  if (!pick) return;
  sel.value = pick.sessionId;
  await renderReview(pick.sessionId);
}

async function renderReview(id) {
  $('#review-session').dataset.picked = id;
  const [st, score, curve] = await Promise.all([
    api(`/v1/live-sessions/${encodeURIComponent(id)}?history=50`),
    api(`/v1/live-sessions/${encodeURIComponent(id)}/content-score`),
    api(`/v1/live-sessions/${encodeURIComponent(id)}/minute-curve`),
  ]);
  // the whole session, minute by minute, from its durable 10-second counters
  const at = (m) => Date.parse(m.minuteStart) + 60_000;
  timeChart($('#review-curve'), {
    unit: `${t('unit.people')} / ${t('unit.perMin')}`,
    series: [
      { name: t('series.viewers'), data: curve.minutes.map((m) => [at(m), m.viewersAtEnd]) },
      { name: t('series.clicks'), data: curve.minutes.map((m) => [at(m), m.clicks]) },
      { name: t('series.orders'), data: curve.minutes.map((m) => [at(m), m.orders]) },
    ],
  });
  $('#review-curve').dataset.minutes = String(curve.minutes.length);
  const pctx = (x) => (x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${fmt(x * 100, 0)} %`);
  $('#review-suggestions tbody').replaceChildren(
    ...(st.suggestions.length === 0
      ? [el('tr', {}, el('td', { colspan: '5' }, t('rev.noSuggestions')))]
      : [...st.suggestions].reverse().map((s) =>
          el(
            'tr',
            { 'data-review-suggestion': s.suggestionId, 'data-strategy': s.strategy, 'data-feedback': s.feedback ?? '' },
            el('td', {}, hhmm(s.windowEnd)),
            el('td', {}, s.trigger),
            el('td', {}, s.strategy),
            el('td', {}, s.feedback ?? t('rev.notAccepted')),
            el('td', { 'data-reward': s.outcome ? String(s.outcome.reward) : '' }, s.outcome ? t('rev.outcome', { e: pctx(s.outcome.engagementChange), c: pctx(s.outcome.conversionChange), r: fmt(s.outcome.reward, 2) }) : s.feedback === 'accepted' ? t('rev.pending') : '–'),
          ),
        )),
  );
  $('#l-value').textContent = fmt(score.value, 3);
  $('#l-value').dataset.value = String(score.value);
  $('#l-formula').textContent = score.formula;
  $('#l-terms tbody').replaceChildren(...score.terms.map((x) => el('tr', { 'data-term': x.name }, el('td', {}, x.name), el('td', {}, fmt(x.weight, 3)), el('td', {}, fmt(x.input, 4)), el('td', {}, fmt(x.contribution, 4)))));
  $('#l-sample').textContent = `${t('score.sample')}: ${Object.entries(score.sample).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(' · ')}`;
}

// ---------------------------------------------------------------- ROI
function period() {
  const from = new Date(`${$('#roi-from').value}T00:00:00Z`).toISOString();
  const to = new Date(new Date(`${$('#roi-to').value}T00:00:00Z`).getTime() + 86_400_000).toISOString();
  return { from, to };
}

async function loadRoi() {
  if (!$('#roi-from').value) {
    const today = new Date();
    $('#roi-to').value = today.toISOString().slice(0, 10);
    $('#roi-from').value = new Date(today.getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
  }
  const { from, to } = period();
  const dim = $('#roi-dim').value;
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const [report, funnel] = await Promise.all([api(`/v1/roi/reports?dimension=${dim}&${q}&limit=50`), api(`/v1/roi/funnel?dimension=all&${q}`)]);
  const tt = report.totals;
  const totals = [
    ['netMinor', 'roi.net', tt.revenue.netMinor, yuan(tt.revenue.netMinor)],
    ['costMinor', 'roi.cost', tt.cost.totalMinor, yuan(tt.cost.totalMinor)],
    ['roi', 'roi.roi', tt.roi, fmt(tt.roi, 3)],
    ['netProfitMinor', 'roi.profit', tt.netProfitMinor, yuan(tt.netProfitMinor)],
    ['paidOrders', 'roi.paid', tt.sample.paidOrders, fmt(tt.sample.paidOrders, 0)],
    ['cac', 'roi.cac', tt.customerAcquisitionCostMinor, tt.customerAcquisitionCostMinor === null ? '–' : yuan(tt.customerAcquisitionCostMinor)],
    ['roomEntries', 'roi.entries', tt.traffic.roomEntries, fmt(tt.traffic.roomEntries, 0)],
    ['botEvents', 'roi.bots', tt.traffic.botEvents, fmt(tt.traffic.botEvents, 0)],
  ];
  $('#roi-totals').replaceChildren(...totals.flatMap(([id, label, raw, shown]) => [el('dt', {}, t(label)), el('dd', { 'data-total': id, 'data-value': String(raw) }, shown)]));
  $('#roi-table tbody').replaceChildren(
    ...report.rows.map((r) =>
      el('tr', { 'data-key': r.key }, el('td', {}, r.key), el('td', {}, yuan(r.revenue.netMinor)), el('td', {}, yuan(r.cost.totalMinor)), el('td', {}, fmt(r.roi, 3)), el('td', {}, yuan(r.netProfitMinor)), el('td', {}, r.sample.paidOrders)),
    ),
  );
  $('#roi-how').textContent = `ROI: ${report.computation.roi}. ${report.computation.revenue}. ${report.computation.ledgerRowsInPeriod}`;
  const steps = funnel.totals.steps;
  const top = Math.max(1, ...steps.map((s) => s.count));
  $('#funnel').replaceChildren(
    ...steps.map((s) =>
      el('li', { 'data-step': s.step }, el('span', {}, s.step), el('b', {}, `${fmt(s.count, 0)}${s.conversionFromPrevious === null || s.conversionFromPrevious === undefined ? '' : ` (${fmt(s.conversionFromPrevious * 100, 1)} %)`}`), barfill((s.count / top) * 100)),
    ),
  );
}

/** A bar of the given width (set through CSSOM). */
function barfill(pct) {
  const b = el('div', { class: 'barfill' });
  b.style.width = `${pct}%`;
  return b;
}

async function downloadCsv() {
  const { from, to } = period();
  const res = await api(`/v1/roi/reports?dimension=${$('#roi-dim').value}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=csv`, { raw: true });
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: `roi-${$('#roi-dim').value}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function planBudget() {
  const { from, to } = period();
  const totalBudgetMinor = Math.round(Number($('#budget').value) * 100);
  const out = await api('/v1/roi/budget-plan', { method: 'POST', body: JSON.stringify({ from, to, totalBudgetMinor }) });
  const box = $('#budget-out');
  if (!out.plan) {
    box.replaceChildren(el('p', {}, t('roi.noPlan')));
    return;
  }
  box.replaceChildren(
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t('roi.channel')), el('th', {}, t('roi.spend')), el('th', {}, t('roi.predicted')), el('th', {}, t('roi.marginal')))),
      el('tbody', {}, ...out.plan.allocations.map((a) => el('tr', {}, el('td', {}, a.channel), el('td', {}, yuan(a.spend)), el('td', {}, yuan(a.predictedRevenue)), el('td', {}, fmt(a.marginalRoi, 3)))))),
    el('p', { class: 'muted' }, t('roi.below', { list: out.channelsWithMarginalRoiBelowOne.map((c) => c.channel).join(', ') || '–' })),
  );
}

// ---------------------------------------------------------------- streamer finder
async function loadFinder() {
  const sel = $('#segment');
  const [segs, courses] = await Promise.all([
    sel.options.length > 1 ? null : api('/v1/segments').catch(() => null),
    api(`/v1/roi/reports?dimension=course&limit=50`).catch(() => null),
  ]);
  if (segs) sel.append(...segs.segments.filter((s) => s.size > 0).map((s) => el('option', { value: s.id }, `${s.name} (${s.size})`)));
  if (courses) $('#course-list').replaceChildren(...courses.rows.map((r) => el('option', { value: r.key })));
}

function termsText(terms) {
  return terms.map((x) => `${x.name} ${fmt(x.weight, 2)}×${fmt(x.input, 3)}=${fmt(x.contribution, 2)}`).join(' + ');
}

async function findStreamers() {
  const course = $('#course').value.trim();
  const segment = $('#segment').value;
  let res;
  let scores = null;
  if (course) {
    [res, scores] = await Promise.all([api(`/v1/recommendations/courses/${encodeURIComponent(course)}/streamers?limit=10`), api(`/v1/streamer-scores?courseId=${encodeURIComponent(course)}&limit=10`)]);
  } else if (segment) {
    const page = await api(`/v1/segments/${encodeURIComponent(segment)}/members?limit=500`);
    [res, scores] = await Promise.all([api('/v1/recommendations/segments/streamers', { method: 'POST', body: JSON.stringify({ userIds: page.members.map((m) => m.userId), limit: 10 }) }), api('/v1/streamer-scores?limit=10')]);
  } else throw new Error(t('finder.needInput'));
  const list = $('#streamers');
  if (res.results.length === 0) list.replaceChildren(el('li', { class: 'muted' }, t('finder.none')));
  else
    list.replaceChildren(
      ...res.results.map((r) =>
        el('li', { 'data-streamer': r.streamerId }, el('b', {}, r.name ?? r.streamerId), ' ', el('span', { class: 'muted' }, r.expectedEnrolments !== undefined ? t('finder.expected', { n: fmt(r.expectedEnrolments, 2) }) : t('finder.score', { n: fmt(r.score, 3) })), el('p', { class: 'reason' }, (r.reasons || []).join(' · '))),
      ),
    );
  $('#m-formula').textContent = scores.formula;
  $('#m-scores').replaceChildren(
    ...scores.results.map((s) =>
      el('li', { 'data-m-streamer': s.streamerId, 'data-value': String(s.value) }, el('b', {}, s.name ?? s.streamerId), ' ', el('span', { class: 'muted' }, `M = ${fmt(s.value, 3)}`), el('p', { class: 'mterms' }, termsText(s.terms)), el('p', { class: 'mterms' }, `${t('score.sample')}: ${fmt(s.sample.roomEntries, 0)} room entries · ${fmt(s.sample.paidOrders, 0)} orders · ${fmt(s.sample.sessions, 0)} sessions`)),
    ),
  );
  $('#m-sample').textContent = `${t('score.sample')}: ${scores.sample.streamers} streamers · ${fmt(scores.sample.roomEntries, 0)} room entries · ${fmt(scores.sample.paidOrders, 0)} paid orders · p0 ${fmt(scores.shrinkage.tenantConversion, 4)} · ${scores.weightsSource}`;
}

// ---------------------------------------------------------------- wiring
const guard = (fn) => (ev) => {
  if (ev) ev.preventDefault();
  showError('');
  fn().catch((e) => showError(e.message));
};
$('#signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void signIn($('#key').value);
});
$('#signout').addEventListener('click', signOut);
$('#lang').addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  if (key && !$('#tabs').hidden) show(view);
});
document.querySelectorAll('#tabs button[data-view]').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
$('#session').addEventListener('change', guard(() => ((picked = true), openSession($('#session').value))));
$('#review-session').addEventListener('change', guard(() => renderReview($('#review-session').value)));
$('#roi-form').addEventListener('submit', guard(loadRoi));
$('#roi-csv').addEventListener('click', guard(downloadCsv));
$('#budget-form').addEventListener('submit', guard(planBudget));
$('#finder-form').addEventListener('submit', guard(findStreamers));
applyStatic();
if (key) void signIn(key);
