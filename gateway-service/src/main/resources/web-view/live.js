// The live web view: charts one key's windows and lists a stream's top keys, all through the public
// API with the key typed into the page. It subscribes to the Server-Sent Events endpoint first and
// then reads the history, so no update can fall between the two. EventSource cannot send an
// Authorization header, so the event stream is read with fetch() and parsed here.
'use strict';

(() => {
  const TOP_KEYS_SHOWN = 10;
  // Top keys cost one query per key: a stream with more keys is ranked over its first ones only.
  const TOP_KEYS_COUNTED = 100;
  const TOP_KEYS_PARALLEL = 4;
  const TOP_KEYS_REFRESH_MS = 10_000;
  const REDRAW_MS = 5_000;
  const RECONNECT_MS = 2_000;
  const CHART_HEIGHT = 220;

  const $ = (id) => document.getElementById(id);
  const form = $('watch');
  const statusLine = $('status');
  const countChartBox = $('chart-count');
  const valueChartBox = $('chart-values');
  const totals = $('totals');
  const topKeysBody = document.querySelector('#top-keys tbody');
  const topKeysNote = $('top-keys-note');
  const keyOptions = $('key-options');

  let session = null;
  let countChart = null;
  let valueChart = null;

  class ApiError extends Error {
    constructor(status, detail) {
      super(`${status}: ${detail}`);
      this.status = status;
    }
  }

  function setStatus(state, text) {
    statusLine.dataset.state = state;
    statusLine.textContent = text;
  }

  // --- selection, kept in the address so a reload or a shared link shows the same key ---------
  function restoreSelection() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.get('stream')) $('stream').value = params.get('stream');
    if (params.get('key')) $('key').value = params.get('key');
    if (params.get('history')) $('history').value = params.get('history');
  }

  function rememberSelection(s) {
    const params = new URLSearchParams({ stream: s.stream, key: s.key, history: String(s.historyMs / 60_000) });
    history.replaceState(null, '', '#' + params);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });

  function start() {
    stop();
    const s = {
      apiKey: $('api-key').value.trim(),
      stream: $('stream').value.trim(),
      key: $('key').value.trim(),
      historyMs: Number($('history').value) * 60_000,
      controller: new AbortController(),
      windows: new Map(),
      baseStepMs: null,
      timers: [],
    };
    session = s;
    rememberSelection(s);
    resetCharts();
    topKeysBody.replaceChildren();
    follow(s);
    refreshTopKeys(s);
    s.topKeysTimer = setInterval(() => refreshTopKeys(s), TOP_KEYS_REFRESH_MS);
    s.timers.push(s.topKeysTimer);
    // The x axis slides with the clock even while no update arrives.
    s.timers.push(setInterval(() => render(s), REDRAW_MS));
  }

  function stop() {
    if (session) {
      session.controller.abort();
      session.timers.forEach(clearInterval);
      session = null;
    }
  }

  // --- the API ---------------------------------------------------------------------------------
  async function request(s, operation, params, accept) {
    const url = new URL(`/v1/streams/${encodeURIComponent(s.stream)}/${operation}`, location.origin);
    Object.entries(params).forEach(([name, value]) => url.searchParams.set(name, String(value)));
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${s.apiKey}`, Accept: accept },
      cache: 'no-store',
      signal: s.controller.signal,
    });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      } catch {
        // not a problem document: the status text says enough
      }
      throw new ApiError(response.status, detail);
    }
    return response;
  }

  async function query(s, operation, params) {
    return (await request(s, operation, params, 'application/json')).json();
  }

  // --- live updates ----------------------------------------------------------------------------
  async function follow(s) {
    while (session === s) {
      try {
        setStatus('connecting', `Connecting to ${s.stream} / ${s.key}…`);
        const live = await request(s, 'aggregates/live', { key: s.key }, 'text/event-stream');
        const now = Date.now();
        // up to a minute ahead: records may carry timestamps that far ahead of this browser's clock
        const history = await query(s, 'aggregates', { key: s.key, from: now - s.historyMs, to: now + 60_000 });
        s.baseStepMs = durationMillis(history.step);
        history.windows.forEach((window) => merge(s, window));
        render(s);
        setStatus('live', `Live: ${s.stream} / ${s.key}`);
        await readEvents(live.body, (event) => {
          if (event.type === 'window' && session === s) {
            merge(s, JSON.parse(event.data));
            scheduleRender(s);
          }
        });
        // The stream ended: the aggregator restarted or the key moved to another replica.
      } catch (error) {
        if (session !== s || error.name === 'AbortError') return;
        setStatus('error', `Not live: ${error.message}`);
        // Bad credentials or a bad stream or key name do not get better by retrying.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) return;
      }
      await pause(RECONNECT_MS, s.controller.signal);
    }
  }

  /** Calls onEvent with {type, data} for each complete event of a text/event-stream body. */
  async function readEvents(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      // Lines end in LF, CRLF or CR; a CR at the end of a chunk may be the first half of a CRLF.
      buffer = (buffer + value).replace(/\r\n|\r(?!$)/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) onEvent(event);
      }
    }
  }

  function parseEvent(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // comments are heartbeats
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    return data.length ? { type, data: data.join('\n') } : null;
  }

  /** A window only ever gains records, so of two states of one window the larger count is the newer. */
  function merge(s, window) {
    const start = Date.parse(window.start);
    const known = s.windows.get(start);
    if (!known || window.count >= known.count) {
      s.windows.set(start, window);
    }
  }

  // --- charts ----------------------------------------------------------------------------------
  let renderPending = false;

  function scheduleRender(s) {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      render(s);
    });
  }

  function resetCharts() {
    countChart?.destroy();
    valueChart?.destroy();
    countChart = null;
    valueChart = null;
    countChartBox.dataset.records = '0';
    countChartBox.dataset.windows = '0';
    totals.textContent = '';
  }

  function render(s) {
    if (session !== s) return;
    const to = Date.now();
    const from = to - s.historyMs;
    const shown = [...s.windows.entries()]
      .filter(([start]) => start >= from - (s.baseStepMs ?? 0))
      .sort(([a], [b]) => a - b)
      .map(([, window]) => window);
    const xs = shown.map((w) => Date.parse(w.start) / 1000);
    const records = shown.reduce((sum, w) => sum + w.count, 0);
    ensureCharts();
    countChart.setData([xs, shown.map((w) => w.count)]);
    valueChart.setData([xs, shown.map((w) => w.mean), shown.map((w) => w.p50), shown.map((w) => w.p99)]);
    countChartBox.dataset.records = String(records);
    countChartBox.dataset.windows = String(shown.length);
    totals.textContent = `· ${records.toLocaleString()} records in ${shown.length} windows, updated ${new Date(to).toLocaleTimeString()}`;
  }

  function ensureCharts() {
    const width = Math.max(300, countChartBox.clientWidth);
    // The history up to now, whatever the data: the charts scroll with the clock.
    const x = { time: true, range: () => [(Date.now() - (session?.historyMs ?? 0)) / 1000, Date.now() / 1000] };
    if (!countChart) {
      countChart = new uPlot({
        width,
        height: CHART_HEIGHT,
        scales: { x, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        series: [
          {},
          {
            label: 'records',
            stroke: '#2261c4',
            fill: 'rgba(34, 97, 196, 0.35)',
            paths: uPlot.paths.bars({ size: [0.8, 40], align: 1 }),
            points: { show: false },
          },
        ],
        axes: [{}, { label: 'records', size: 60 }],
      }, [[], []], countChartBox);
    }
    if (!valueChart) {
      valueChart = new uPlot({
        width,
        height: CHART_HEIGHT,
        scales: { x },
        series: [
          {},
          { label: 'mean', stroke: '#1e7b34', width: 2, value: (u, v) => formatValue(v) },
          { label: 'p50', stroke: '#2261c4', width: 2, value: (u, v) => formatValue(v) },
          { label: 'p99', stroke: '#c4432b', width: 2, value: (u, v) => formatValue(v) },
        ],
        axes: [{}, { label: 'value', size: 60 }],
      }, [[], [], [], []], valueChartBox);
    }
  }

  function formatValue(v) {
    return v == null ? '–' : Number(v.toPrecision(4)).toString();
  }

  window.addEventListener('resize', () => {
    const width = Math.max(300, countChartBox.clientWidth);
    countChart?.setSize({ width, height: CHART_HEIGHT });
    valueChart?.setSize({ width, height: CHART_HEIGHT });
  });

  // --- top keys --------------------------------------------------------------------------------
  async function refreshTopKeys(s) {
    try {
      const to = Date.now();
      const from = to - s.historyMs;
      const { keys } = await query(s, 'keys', { from, to });
      keyOptions.replaceChildren(...keys.map((key) => new Option(key)));
      const counted = keys.slice(0, TOP_KEYS_COUNTED);
      // One window per key where the step allows it: the history rounded up to the base window.
      const params = { from, to };
      if (s.baseStepMs) params.step = `PT${Math.ceil(s.historyMs / s.baseStepMs) * s.baseStepMs / 1000}S`;
      const counts = await inParallel(counted, TOP_KEYS_PARALLEL, async (key) => {
        const answer = await query(s, 'aggregates', { ...params, key });
        return { key, records: answer.windows.reduce((sum, w) => sum + w.count, 0) };
      });
      if (session !== s) return;
      counts.sort((a, b) => b.records - a.records || a.key.localeCompare(b.key));
      showTopKeys(s, counts.slice(0, TOP_KEYS_SHOWN));
      topKeysNote.textContent = keys.length > counted.length
        ? `Records per key over the chosen history, ranked among the first ${counted.length} of ${keys.length} keys.`
        : `Records per key over the chosen history (${keys.length} keys).`;
    } catch (error) {
      if (session === s && error.name !== 'AbortError') {
        topKeysNote.textContent = `Top keys unavailable: ${error.message}`;
        // a refused key stays refused: stop asking until Watch is pressed again
        if (error instanceof ApiError && error.status === 401) clearInterval(s.topKeysTimer);
      }
    }
  }

  function showTopKeys(s, rows) {
    topKeysBody.replaceChildren(...rows.map(({ key, records }) => {
      const row = document.createElement('tr');
      if (key === s.key) row.className = 'selected';
      const name = document.createElement('td');
      const pick = document.createElement('button');
      pick.type = 'button';
      pick.textContent = key;
      pick.title = `Watch ${key}`;
      pick.addEventListener('click', () => {
        $('key').value = key;
        start();
      });
      name.append(pick);
      const count = document.createElement('td');
      count.className = 'number';
      count.textContent = records.toLocaleString();
      row.append(name, count);
      return row;
    }));
  }

  async function inParallel(items, limit, task) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
  }

  // --- helpers ---------------------------------------------------------------------------------
  /** Milliseconds of an ISO-8601 duration as java.time.Duration writes it, e.g. PT10S, PT1M30S, PT1H. */
  function durationMillis(iso) {
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso ?? '');
    if (!match) return null;
    const [, h, m, sec] = match;
    return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(sec ?? 0)) * 1000;
  }

  function pause(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }

  restoreSelection();
})();
