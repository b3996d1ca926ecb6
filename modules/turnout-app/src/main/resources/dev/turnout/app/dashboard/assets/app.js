// Turnout reconciliation dashboard. Plain DOM, no dependencies. Every value from the server is put on the page with
// textContent or as an attribute value, never parsed as markup: keys and differences are row data.
'use strict';

(function () {
  const STATUSES = ['MATCH', 'PENDING', 'MISMATCH', 'MISSING', 'EXTRA'];
  const OPEN = ['MISMATCH', 'MISSING', 'EXTRA', 'PENDING'];
  const REFRESH_MS = 2000;
  const PAGE = 50;
  const SVG = 'http://www.w3.org/2000/svg';

  const state = { table: '', status: '', q: '', offset: 0, tables: [] };

  function $(id) { return document.getElementById(id); }

  // el('td', {class: 'key'}, 'text', child...): children are strings (as text) or nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    return node;
  }

  function value(v) {
    return v === null || v === undefined ? el('span', { class: 'null' }, 'NULL') : document.createTextNode(v);
  }

  function age(ms) {
    if (ms === null || ms === undefined) return '–';
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + (s % 60) + 's';
    const h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }

  function number(n) { return Number(n).toLocaleString('en-US'); }

  async function getJson(path) {
    const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) throw new Error(response.status + ' ' + (await response.text()).trim());
    return response.json();
  }

  // ---- header ----

  function renderHeader(overview) {
    $('pipeline').textContent = overview.pipeline;
    const reader = $('reader');
    reader.dataset.state = overview.reader.state;
    let text = overview.reader.state;
    if (overview.reader.detail) text += ': ' + overview.reader.detail;
    if (overview.reader.unreadable > 0) text += ' · ' + number(overview.reader.unreadable) + ' unreadable record(s) skipped';
    $('reader-text').textContent = text;
    $('updated').textContent = 'updated ' + new Date(overview.now).toLocaleTimeString();

    let unresolved = 0, pending = 0;
    for (const t of overview.tables) {
      unresolved += t.counts.MISMATCH + t.counts.MISSING + t.counts.EXTRA;
      pending += t.counts.PENDING;
    }
    const verdict = $('verdict');
    if (overview.tables.length === 0) {
      verdict.dataset.state = 'unknown';
      verdict.textContent = 'waiting for data';
    } else if (unresolved > 0) {
      verdict.dataset.state = 'bad';
      verdict.textContent = number(unresolved) + ' unresolved key' + (unresolved === 1 ? '' : 's');
    } else if (pending > 0) {
      verdict.dataset.state = 'pending';
      verdict.textContent = number(pending) + ' pending, none unresolved';
    } else {
      verdict.dataset.state = 'ok';
      verdict.textContent = 'every key matches';
    }
  }

  // ---- table cards ----

  function sparkline(trend) {
    const w = 150, h = 40, pad = 3;
    const root = svg('svg', { class: 'spark', viewBox: `0 0 ${w} ${h}`, role: 'img' });
    const title = svg('title');
    title.textContent = 'last ' + trend.length + ' samples: unresolved (red), pending (amber), match (green, own scale)';
    root.append(title);
    root.append(svg('line', { class: 'axis', x1: 0, y1: h - pad, x2: w, y2: h - pad }));
    if (trend.length < 2) return root;
    const series = {
      match: trend.map(p => p.MATCH),
      pending: trend.map(p => p.PENDING),
      unresolved: trend.map(p => p.MISMATCH + p.MISSING + p.EXTRA),
    };
    const problemMax = Math.max(1, ...series.pending, ...series.unresolved);
    const matchMax = Math.max(1, ...series.match);
    const x = i => (i / (trend.length - 1)) * w;
    const line = (values, max, cls) => {
      const points = values.map((v, i) => x(i).toFixed(1) + ',' + (h - pad - (v / max) * (h - 2 * pad)).toFixed(1));
      root.append(svg('polyline', { class: cls, points: points.join(' ') }));
    };
    line(series.match, matchMax, 'l-match');
    line(series.pending, problemMax, 'l-pending');
    line(series.unresolved, problemMax, 'l-unresolved');
    return root;
  }

  function card(t) {
    const c = t.counts;
    const unresolved = c.MISMATCH + c.MISSING + c.EXTRA;
    const node = el('div', { class: 'card' + (unresolved > 0 ? ' bad' : '') + (state.table === t.table ? ' selected' : ''),
      'data-table': t.table, title: 'show this table\'s keys' });
    node.append(el('div', { class: 'card-head' },
      el('div', { class: 'card-title' }, t.table),
      el('div', { class: 'card-total' }, number(t.total) + ' keys')));
    const bar = el('div', { class: 'bar' });
    for (const s of STATUSES) {
      if (c[s] > 0 && t.total > 0) {
        const part = el('span', { title: s + ' ' + c[s] });
        part.style.width = Math.max(0.5, (100 * c[s]) / t.total) + '%';
        part.style.background = `var(--${s.toLowerCase()})`;
        bar.append(part);
      }
    }
    node.append(bar);
    const counts = el('div', { class: 'counts' });
    for (const s of STATUSES) {
      counts.append(el('div', { class: `count c-${s}` + (c[s] === 0 ? ' zero' : ''), 'data-status': s },
        el('div', { class: 'n' }, number(c[s])), el('div', { class: 'l' }, s)));
    }
    node.append(counts);
    const facts = el('div', { class: 'facts' },
      el('div', null, 'oldest unresolved ',
        el('b', { class: t.oldestUnresolvedAgeMs !== null ? 'alarm' : null }, age(t.oldestUnresolvedAgeMs))),
      el('div', null, 'reconciled up to ', el('b', null, t.sourceLsn || '–')));
    node.append(el('div', { class: 'card-foot' }, facts, sparkline(t.trend)));
    node.addEventListener('click', () => {
      state.table = state.table === t.table ? '' : t.table;
      state.offset = 0;
      $('table-filter').value = state.table;
      refresh();
    });
    return node;
  }

  function renderTables(overview) {
    const box = $('tables');
    if (overview.tables.length === 0) return; // keep the explanatory placeholder
    box.replaceChildren(...overview.tables.map(card));
    const names = overview.tables.map(t => t.table);
    if (names.join('\n') !== state.tables.join('\n')) {
      state.tables = names;
      const select = $('table-filter');
      select.replaceChildren(el('option', { value: '' }, 'all tables'), ...names.map(n => el('option', { value: n }, n)));
      select.value = state.table;
    }
  }

  // ---- keys ----

  function differences(k) {
    if (k.status === 'MISSING') return el('span', { class: 'note' }, 'expected row is absent from the target');
    if (k.status === 'EXTRA') return el('span', { class: 'note' }, 'row exists only in the target');
    if (k.differences.length === 0) return el('span', { class: 'note' }, k.status === 'MATCH' ? 'equal' : '–');
    const grid = el('div', { class: 'diffs' },
      el('span', { class: 'h' }, 'field'), el('span', { class: 'h' }, 'expected'), el('span', { class: 'h' }, 'actual'));
    for (const d of k.differences) {
      grid.append(el('span', { class: 'f' }, d.field), el('span', { class: 'e' }, value(d.expected)),
        el('span', { class: 'a' }, value(d.actual)));
    }
    return grid;
  }

  function row(k, now) {
    let since = age(now - k.firstSeen);
    if (k.status === 'PENDING' && k.pendingUntil) since += ' · decides in ' + age(k.pendingUntil - now);
    return el('tr', { 'data-key': k.key, 'data-status': k.status },
      el('td', null, el('span', { class: `badge b-${k.status}` }, k.status)),
      el('td', { class: 'table' }, k.table),
      el('td', { class: 'key' }, k.key),
      el('td', null, differences(k)),
      el('td', { class: 'since' }, since),
      el('td', { class: 'lsn' }, k.sourceLsn || '–'));
  }

  function renderKeys(page, now) {
    const body = $('keys-body');
    if (page.keys.length === 0) {
      const text = state.q ? 'No key contains “' + state.q + '”.' : 'Nothing to show: every key here matches.';
      body.replaceChildren(el('tr', null, el('td', { class: 'none', colspan: 6 }, text)));
    } else {
      body.replaceChildren(...page.keys.map(k => row(k, now)));
    }
    const from = page.total === 0 ? 0 : page.offset + 1;
    const to = page.offset + page.keys.length;
    $('page-text').textContent = `${number(from)}–${number(to)} of ${number(page.total)}`;
    $('prev').disabled = page.offset === 0;
    $('next').disabled = to >= page.total;
    const what = state.q ? 'keys containing “' + state.q + '” (any status)' : (state.status || 'non-matching') + ' keys';
    $('keys-summary').textContent = number(page.total) + ' ' + what + (state.table ? ' in ' + state.table : '')
      + ', worst and oldest first';
  }

  function statusChips() {
    const box = $('status-filter');
    const chips = [['', 'all open'], ...OPEN.map(s => [s, s])];
    box.replaceChildren(...chips.map(([s, label]) => {
      const b = el('button', { type: 'button', class: 'chip' + (state.status === s ? ' on' : ''), 'data-status': s }, label);
      b.addEventListener('click', () => { state.status = s; state.offset = 0; statusChips(); refresh(); });
      return b;
    }));
  }

  // ---- refresh loop ----

  let timer = null;
  let inFlight = false;
  let again = false;

  async function refresh() {
    if (inFlight) { again = true; return; } // a filter changed mid-request: fetch once more right after
    inFlight = true;
    clearTimeout(timer);
    try {
      const params = new URLSearchParams({ offset: state.offset, limit: PAGE });
      if (state.table) params.set('table', state.table);
      if (state.status) params.set('status', state.status);
      if (state.q) params.set('q', state.q);
      const [overview, page] = await Promise.all([getJson('/api/overview'), getJson('/api/keys?' + params)]);
      renderHeader(overview);
      renderTables(overview);
      renderKeys(page, overview.now);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      const reader = $('reader');
      reader.dataset.state = 'offline';
      $('reader-text').textContent = 'dashboard unreachable: ' + e.message;
    } finally {
      inFlight = false;
      timer = setTimeout(refresh, again ? 0 : REFRESH_MS);
      again = false;
    }
  }

  function init() {
    statusChips();
    let typing = null;
    const search = $('search');
    const searchNow = () => {
      clearTimeout(typing);
      if (state.q === search.value.trim()) return;
      state.q = search.value.trim();
      state.offset = 0;
      refresh();
    };
    search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(searchNow, 250); });
    // Enter, the clear button, and programmatic edits that fire only change.
    search.addEventListener('search', searchNow);
    search.addEventListener('change', searchNow);
    $('table-filter').addEventListener('change', e => { state.table = e.target.value; state.offset = 0; refresh(); });
    $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); });
    $('next').addEventListener('click', () => { state.offset += PAGE; refresh(); });
    refresh();
  }

  document.addEventListener('DOMContentLoaded', init);
})();
