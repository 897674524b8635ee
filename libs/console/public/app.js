// livepromo operator console: plain ES module, talks to the REST API on this origin with the tenant key.
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
const yuan = (minor) => (Number(minor) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d }));

let key = sessionStorage.getItem('livepromo.key') || '';
let current = null; // selected session id
let stream = null; // EventSource
let reloadTimer = null;

function showError(message) {
  const box = $('#error');
  if (!message) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.textContent = message;
}

/** fetch with the key; throws an Error whose message says what went wrong (status, code, server message). */
async function api(path, opts = {}) {
  let res;
  try {
    res = await fetch(path, { ...opts, headers: { authorization: `Bearer ${key}`, ...(opts.body ? { 'content-type': 'application/json' } : {}), ...(opts.headers || {}) } });
  } catch {
    throw new Error('Cannot reach the livepromo server (network error). Is it running?');
  }
  if (res.status === 401) {
    signOut();
    throw new Error('This API key was refused (401): it is unknown or revoked. Sign in with a valid key.');
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    const e = body && body.error;
    throw new Error(`${res.status} ${e ? `${e.code}: ${e.message}` : res.statusText}`);
  }
  return opts.raw ? res : res.json();
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
  show('live');
}

function show(view) {
  document.querySelectorAll('#tabs button[data-view]').forEach((b) => b.classList.toggle('active', b.dataset.view === view));
  document.querySelectorAll('.view').forEach((v) => (v.hidden = v.id !== `view-${view}`));
  showError('');
  if (view === 'live') loadSessions().catch((e) => showError(e.message));
  if (view === 'roi') loadRoi().catch((e) => showError(e.message));
  if (view === 'finder') loadSegments().catch((e) => showError(e.message));
}

// ---------------------------------------------------------------- live room
async function loadSessions() {
  const { sessions } = await api('/v1/live-sessions?limit=50');
  const sel = $('#session');
  sel.replaceChildren(...sessions.map((s) => el('option', { value: s.sessionId }, `${s.sessionId} · ${s.streamerId ?? '?'} · ${s.live ? 'LIVE' : 'ended'}`)));
  if (sessions.length === 0) {
    sel.append(el('option', { value: '' }, 'no live sessions yet'));
    return;
  }
  const pick = sessions.find((s) => s.sessionId === current) ?? sessions.find((s) => s.live) ?? sessions[0];
  sel.value = pick.sessionId;
  await openSession(pick.sessionId);
}

async function openSession(id) {
  current = id;
  if (stream) stream.close();
  await renderState();
  // live updates: EventSource cannot send headers, so the key goes in the query (see the API docs)
  stream = new EventSource(`/v1/live-sessions/${encodeURIComponent(id)}/stream?key=${encodeURIComponent(key)}`);
  const status = $('#live-status');
  stream.onopen = () => (status.textContent = 'live updates on');
  stream.onerror = () => (status.textContent = 'reconnecting…');
  const soon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => renderState().catch((e) => showError(e.message)), 250);
  };
  stream.addEventListener('metrics', soon);
  stream.addEventListener('suggestion', soon);
}

const SERIES = [
  ['viewers', 'concurrent viewers', (m) => m.concurrentViewers],
  ['engagement', 'engagement / viewer / min', (m) => m.engagementPerViewer],
  ['clicks', 'product clicks', (m) => m.productClicks],
  ['orders', 'paid orders', (m) => m.orders],
  // revenuePerThousandViewers = yuan · 1000 / max(1, viewers): back to yuan in the window
  ['revenue', 'revenue ¥', (m) => (m.revenuePerThousandViewers * Math.max(1, m.concurrentViewers)) / 1000],
];

function sparkline(values) {
  const w = 200;
  const h = 60;
  const max = Math.max(1e-9, ...values);
  const pts = values.map((v, i) => `${values.length === 1 ? w : (i / (values.length - 1)) * w},${h - (v / max) * (h - 4) - 2}`).join(' ');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', pts);
  svg.append(line);
  return svg;
}

async function renderState() {
  if (!current) return;
  const st = await api(`/v1/live-sessions/${encodeURIComponent(current)}?history=30`);
  const status = $('#live-status');
  status.classList.toggle('live', !st.endedAt);
  const windows = [...(st.windows['60s'] || [])].sort((a, b) => (a.windowEnd < b.windowEnd ? -1 : 1));
  const latest = windows[windows.length - 1];
  $('#charts').replaceChildren(
    ...SERIES.map(([id, label, f]) => {
      const values = windows.map((w) => Number(f(w.metrics)) || 0);
      const last = values.length ? values[values.length - 1] : null;
      return el('figure', { class: 'chart', 'data-series': id }, el('figcaption', {}, label, el('b', { 'data-latest': id, 'data-value': String(last ?? '') }, fmt(last))), sparkline(values.length ? values : [0]));
    }),
  );
  const m = latest ? latest.metrics : {};
  $('#worst').textContent = latest && latest.worstMetric ? latest.worstMetric : '–';
  $('#worst').dataset.value = latest && latest.worstMetric ? latest.worstMetric : '';
  $('#worst-detail').textContent = latest
    ? `window ending ${new Date(latest.windowEnd).toLocaleTimeString()}; basis: ${latest.worstBasis ?? 'previous window'}${latest.worstScore !== null && latest.worstScore !== undefined ? `, score ${fmt(latest.worstScore)}` : ''}`
    : 'no closed minute yet';
  const figures = [
    ['viewers', m.concurrentViewers, 0],
    ['new viewers', m.newViewers, 0],
    ['drop-off rate', m.dropOffRate, 3],
    ['comments / min', m.commentsPerMin, 1],
    ['clicks', m.productClicks, 0],
    ['orders', m.orders, 0],
    ['click → order', m.clickToOrderConversion, 3],
  ];
  $('#figures').replaceChildren(...figures.flatMap(([k, v, d]) => [el('dt', {}, k), el('dd', { 'data-figure': k }, fmt(v, d))]));
  const intents = [
    ['priceQuestionsPerMin', 'price questions'],
    ['howToBuyQuestionsPerMin', 'how-to-buy questions'],
    ['courseContentQuestionsPerMin', 'course-content questions'],
    ['complaintsPerMin', 'complaints'],
    ['negativeShare', 'negative share'],
    ['classifiedComments', 'classified comments'],
  ];
  $('#intents').replaceChildren(...intents.map(([id, k]) => el('li', {}, el('span', {}, k), el('b', { 'data-intent': id, 'data-value': String(m[id] ?? '') }, fmt(m[id], 2)))));
  const list = $('#suggestions');
  if (st.suggestions.length === 0) list.replaceChildren(el('li', { class: 'muted' }, 'No suggestion yet: they appear when a detector fires on a closed minute.'));
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
    actions.append(el('button', { type: 'button', 'data-accept': s.suggestionId, onclick: send('accepted') }, 'Accept'), el('button', { type: 'button', class: 'quiet', onclick: send('ignored') }, 'Ignore'));
  }
  return el(
    'li',
    { 'data-suggestion': s.suggestionId },
    el('div', { class: 'head' }, el('b', {}, `${s.strategy.replaceAll('_', ' ')}`), el('span', { class: 'tag' }, s.trigger), el('span', { class: 'muted' }, `expected uplift ${fmt(s.expectedUplift, 3)} · confidence ${fmt(s.confidence, 2)}`)),
    el('p', { class: 'reason' }, s.reason),
    actions,
  );
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
    $('#roi-from').value = new Date(today.getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
  }
  const { from, to } = period();
  const dim = $('#roi-dim').value;
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const [report, funnel] = await Promise.all([api(`/v1/roi/reports?dimension=${dim}&${q}&limit=50`), api(`/v1/roi/funnel?dimension=all&${q}`)]);
  const t = report.totals;
  const totals = [
    ['netMinor', 'net revenue ¥', t.revenue.netMinor, yuan(t.revenue.netMinor)],
    ['costMinor', 'cost ¥', t.cost.totalMinor, yuan(t.cost.totalMinor)],
    ['roi', 'ROI (R / C)', t.roi, fmt(t.roi, 3)],
    ['netProfitMinor', 'net profit ¥', t.netProfitMinor, yuan(t.netProfitMinor)],
    ['paidOrders', 'paid orders', t.sample.paidOrders, fmt(t.sample.paidOrders, 0)],
    ['cac', 'customer acquisition cost ¥', t.customerAcquisitionCostMinor, t.customerAcquisitionCostMinor === null ? '–' : yuan(t.customerAcquisitionCostMinor)],
    ['roomEntries', 'room entries (bots discounted)', t.traffic.roomEntries, fmt(t.traffic.roomEntries, 0)],
    ['botEvents', 'bot events kept out', t.traffic.botEvents, fmt(t.traffic.botEvents, 0)],
  ];
  $('#roi-totals').replaceChildren(...totals.flatMap(([id, label, raw, shown]) => [el('dt', {}, label), el('dd', { 'data-total': id, 'data-value': String(raw) }, shown)]));
  $('#roi-table tbody').replaceChildren(
    ...report.rows.map((r) =>
      el('tr', { 'data-key': r.key }, el('td', {}, r.key), el('td', {}, yuan(r.revenue.netMinor)), el('td', {}, yuan(r.cost.totalMinor)), el('td', {}, fmt(r.roi, 3)), el('td', {}, yuan(r.netProfitMinor)), el('td', {}, r.sample.paidOrders)),
    ),
  );
  $('#roi-how').textContent = `ROI: ${report.computation.roi}. Revenue: ${report.computation.revenue}. ${report.computation.ledgerRowsInPeriod} ledger rows in the period.`;
  const steps = funnel.totals.steps;
  const top = Math.max(1, ...steps.map((s) => s.count));
  $('#funnel').replaceChildren(
    ...steps.map((s) =>
      el('li', { 'data-step': s.step }, el('span', {}, s.step), el('b', {}, `${s.count}${s.conversionFromPrevious === null ? '' : ` (${fmt(s.conversionFromPrevious * 100, 1)} %)`}`), barfill((s.count / top) * 100)),
    ),
  );
}

/** A bar of the given width (set through CSSOM: the page's CSP allows no inline style attributes). */
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
    box.replaceChildren(el('p', {}, 'No plan: no channel has a fitted response curve in this period (each needs ≥ 3 distinct daily spends).'));
    return;
  }
  box.replaceChildren(
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'channel'), el('th', {}, 'spend ¥/day'), el('th', {}, 'predicted revenue ¥'), el('th', {}, 'marginal ROI'))),
      el('tbody', {}, ...out.plan.allocations.map((a) => el('tr', {}, el('td', {}, a.channel), el('td', {}, yuan(a.spend)), el('td', {}, yuan(a.predictedRevenue)), el('td', {}, fmt(a.marginalRoi, 3)))))),
    el('p', { class: 'muted' }, `Below marginal ROI 1: ${out.channelsWithMarginalRoiBelowOne.map((c) => c.channel).join(', ') || 'none'}.`),
  );
}

// ---------------------------------------------------------------- streamer finder
async function loadSegments() {
  const sel = $('#segment');
  if (sel.options.length > 1) return;
  const { segments } = await api('/v1/segments');
  sel.append(...segments.filter((s) => s.size > 0).map((s) => el('option', { value: s.id }, `${s.name} (${s.size})`)));
}

async function findStreamers() {
  const course = $('#course').value.trim();
  const segment = $('#segment').value;
  let res;
  if (course) res = await api(`/v1/recommendations/courses/${encodeURIComponent(course)}/streamers?limit=10`);
  else if (segment) {
    const page = await api(`/v1/segments/${encodeURIComponent(segment)}/members?limit=500`);
    res = await api('/v1/recommendations/segments/streamers', { method: 'POST', body: JSON.stringify({ userIds: page.members.map((m) => m.userId), limit: 10 }) });
  } else throw new Error('Give a course id or pick a segment.');
  const list = $('#streamers');
  if (res.results.length === 0) list.replaceChildren(el('li', { class: 'muted' }, 'No streamer to recommend yet (the model needs viewing data).'));
  else
    list.replaceChildren(
      ...res.results.map((r) =>
        el('li', { 'data-streamer': r.streamerId }, el('b', {}, r.name ?? r.streamerId), ' ', el('span', { class: 'muted' }, r.expectedEnrolments !== undefined ? `expected enrolments ${fmt(r.expectedEnrolments, 2)}` : `score ${fmt(r.score, 3)}`), el('p', { class: 'reason' }, (r.reasons || []).join(' · '))),
      ),
    );
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
document.querySelectorAll('#tabs button[data-view]').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
$('#session').addEventListener('change', guard(() => openSession($('#session').value)));
$('#roi-form').addEventListener('submit', guard(loadRoi));
$('#roi-csv').addEventListener('click', guard(downloadCsv));
$('#budget-form').addEventListener('submit', guard(planBudget));
$('#finder-form').addEventListener('submit', guard(findStreamers));
if (key) void signIn(key);
