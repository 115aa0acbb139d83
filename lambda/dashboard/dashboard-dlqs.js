// The dashboard's DLQ list and DLQ view (GET /dlqs, GET /dlqs/{queueName}/history, POST /dlqs/{queueName}/peek,
// .../recovery, GET /tasks?sourceArn=). The list shows each DLQ once, with its last 24 hours as a sparkline; a
// click opens its view, which holds everything about it. Uses the main script's helpers; every value from the
// API, message bodies above all, is set as text, never markup.
(() => {
  'use strict';
  const { ORG, route, chosenAccount, inAccount, api, el, visible, formatNumber, showError, showNotice, clearError } = window.redriveDashboard;
  const $ = (id) => document.getElementById(id);
  const PAGE_SIZE = 25;
  const state = { tokens: [undefined], page: 0, prefix: '', dlqs: [], shown: undefined, generation: 0, failure: undefined, view: undefined };
  const queueName = (arn) => (arn || '').split(':').pop();
  // the inventory writes a history point a minute: a row's sparkline is asked for again after that, not at every 2 s refresh
  const HISTORY_FRESH_MS = 60 * 1000;
  const DAY_MS = 24 * 3600 * 1000;
  /** by queue name: { at, history } or { at, failed } (no history route yet, or no point yet: the row says "–") */
  const sparks = new Map();
  /** the sparkline cells of the rows drawn last, by queue name */
  let sparkCells = new Map();
  const ORIGINS = { sqs: 'SQS', lambda: 'Lambda', eventbridge: 'EventBridge' };

  function formatAge(seconds) {
    if (typeof seconds !== 'number') return '–';
    if (seconds < 60) return seconds + 's';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm';
    if (seconds < 86400) return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
    return Math.floor(seconds / 86400) + 'd ' + Math.floor((seconds % 86400) / 3600) + 'h';
  }

  /** A DLQ's recovery in words: the state, why, and what happens next (API.md section 8). */
  function recoverySummary(recovery) {
    if (!recovery) return '–';
    const rate = typeof recovery.CurrentRate === 'number' ? ' at ' + recovery.CurrentRate + '/s' : '';
    const next = recovery.NextActionAt ? ' · next step ' + new Date(recovery.NextActionAt).toLocaleTimeString() : '';
    return recovery.State + rate + next;
  }

  /**
   * Asks for the current DLQ page (search, account, page and its token). Never rejects: the answer, or
   * the error, carries the request's generation, so showDlqs can drop an answer a later request superseded.
   */
  async function fetchDlqs() {
    state.generation += 1;
    const request = { generation: state.generation, page: state.page };
    const params = new URLSearchParams({ limit: String(PAGE_SIZE), sort: 'messages' });
    if (state.prefix) params.set('prefix', state.prefix);
    if (chosenAccount()) params.set('accountId', chosenAccount());
    const token = state.tokens[state.page];
    if (token) params.set('nextToken', token);
    try {
      return { ...request, answer: await api('GET', route('dlqs?' + params)) };
    } catch (error) {
      return { ...request, error };
    }
  }

  /** Shows a fetchDlqs result unless a later request (another account, page or search) superseded it. */
  function showDlqs(result) {
    if (result.generation !== state.generation) return;
    if (result.error) {
      // said once, not at every refresh over a later alert (an account's inventory not built yet)
      if (result.error.message !== state.failure) showError('Could not load the dead-letter queues', result.error);
      state.failure = result.error.message;
      return;
    }
    state.failure = undefined;
    state.tokens[result.page + 1] = result.answer.nextToken;
    state.dlqs = result.answer.dlqs;
    state.shown = result.answer;
    try {
      if (ORG) window.redriveDashboard.rememberDlqs(result.answer.dlqs);
      renderDlqs();
    } catch (error) {
      // an entry the page cannot draw: said on the page, not an unhandled rejection that stops the refreshes
      showError('Could not show the dead-letter queues', error);
    }
  }

  async function loadDlqs() {
    showDlqs(await fetchDlqs());
  }

  /** The first page again: the account filter changed (the next refresh loads it). */
  function firstDlqPage() {
    state.tokens = [undefined];
    state.page = 0;
  }

  /**
   * The DLQ page last loaded. In org mode a DLQ's active redrive is the one the Active table shows, of
   * the same snapshot: the org view's DLQ entry may still carry a redrive that has ended, or none yet.
   */
  function renderDlqs() {
    const page = state.shown;
    if (!page) return;
    const now = Date.now();
    sparkCells = new Map();
    const rows = page.dlqs.map((dlq) => {
      const task = ORG ? window.redriveDashboard.activeTaskOn(dlq.QueueArn) : dlq.ActiveTask;
      const spark = el('td', { className: 'spark' });
      sparkCells.set(dlq.QueueName, spark);
      drawSpark(dlq.QueueName, now);
      const row = el('tr', { attrs: { 'data-queue-arn': dlq.QueueArn, ...(dlq.asOf ? { title: 'Figures as of ' + new Date(dlq.asOf).toLocaleString() } : {}) } },
        ORG ? el('td', { className: 'account', text: dlq.AccountId || '–' }) : null,
        el('td', null, el('div', { className: 'queue-name', text: dlq.QueueName }), el('div', { className: 'arn', text: dlq.QueueArn }),
          el('div', { className: 'origin', text: originOf(dlq) + ' dead letters' })),
        el('td', { className: 'num', text: formatNumber(dlq.ApproximateNumberOfMessages) }),
        el('td', { className: 'num', text: formatNumber(dlq.ApproximateNumberOfMessagesNotVisible) }),
        el('td', { text: formatAge(dlq.OldestMessageAgeSeconds) }),
        el('td', { text: sourcesOf(dlq) }),
        spark,
        expiryCell(dlq, now),
        el('td', { className: 'active-task', text: task ? task.Status + ' · ' + formatNumber(task.ApproximateNumberOfMessagesMoved) + ' moved' : '–' }),
        // the reason is free text: shown escaped as every other value (the title option goes through visible)
        el('td', { className: 'recovery', text: recoverySummary(dlq.Recovery), ...(dlq.Recovery ? { title: dlq.Recovery.Reason } : {}) }),
        el('td', null, ORG ? redriveOffer(dlq, task) : viewButton(dlq)));
      if (!ORG) {
        // the whole row opens the view; the button is its keyboard way in
        row.classList.add('opens-view');
        row.addEventListener('click', (event) => {
          if (!event.target.closest('button, a, input')) showDlq(dlq);
        });
      }
      return row;
    });
    $('dlqs').tBodies[0].replaceChildren(...rows);
    $('dlqs').classList.toggle('without-history', ORG);
    $('dlqs-empty').hidden = rows.length > 0;
    // the org view's figures come from each account's own inventory, each with its time
    $('dlqs-as-of').textContent = page.asOf ? 'Figures as of ' + new Date(page.asOf).toLocaleTimeString() + ', the inventory\'s last run (it refreshes them on its schedule).'
      : 'Each DLQ\'s figures are from its account\'s last inventory (hover a row for the time; each account\'s last event is under Accounts).';
    $('dlqs-next').disabled = !page.nextToken;
    $('dlqs-first').disabled = state.page === 0;
    if (!ORG) loadSparklines(page.dlqs, now);
    // the open view follows the list: its counts, its active redrive, its recovery
    const open = state.view && page.dlqs.find((dlq) => dlq.QueueArn === state.view.dlq.QueueArn);
    if (open) refreshView(open);
  }

  /** Where its messages come from: the queues whose redrive policy names it, or the functions and rule targets that fail into it (API.md section 11). */
  function sourcesOf(dlq) {
    const queues = (dlq.SourceQueueArns || []).map(queueName);
    const targets = (dlq.Targets || []).map((target) => queueName(target.Arn) + (target.Kind === 'rule-target' && target.RuleArn ? ' (rule ' + queueName(target.RuleArn).split('/').pop() + ')' : ''));
    return [...queues, ...targets].join(', ') || '–';
  }
  const originOf = (dlq) => ORIGINS[dlq.Origin] || ORIGINS.sqs;

  /** When SQS will delete the oldest message (API.md section 12); within a day it says so in words, the colour only repeating it. */
  function expiryCell(dlq, now) {
    const at = Date.parse(dlq.OldestMessageExpiresAt);
    const kept = typeof dlq.RetentionSeconds === 'number' ? 'messages are kept ' + formatAge(dlq.RetentionSeconds) : undefined;
    if (!Number.isFinite(at)) return el('td', { className: 'expiry', text: '–', ...(kept ? { title: kept } : {}) });
    const left = Math.max(0, Math.round((at - now) / 1000));
    const soon = at - now < DAY_MS;
    const cell = el('td', { className: 'expiry' + (soon ? ' expiring' : ''), title: new Date(at).toLocaleString() + (kept ? '; ' + kept : '') },
      el('span', { text: left === 0 ? 'now' : 'in ' + formatAge(left) }));
    if (soon) cell.append(el('span', { className: 'expiring-label', text: 'within a day' }));
    return cell;
  }

  function drawSpark(name, now) {
    const cell = sparkCells.get(name);
    const known = sparks.get(name);
    if (!cell) return;
    if (!known || known.failed) {
      cell.replaceChildren(el('span', { className: 'hint', text: '–', title: known ? 'No history: ' + known.failed : 'Loading the history…' }));
      return;
    }
    cell.replaceChildren(window.redriveDashboard.sparkline(known.history, now, 24));
  }

  /** Asks for the history of each row whose sparkline is older than a minute, then draws them; a failure leaves "–". */
  async function loadSparklines(dlqs, now) {
    const stale = dlqs.filter((dlq) => !sparks.has(dlq.QueueName) || now - sparks.get(dlq.QueueName).at > HISTORY_FRESH_MS);
    await Promise.all(stale.map(async (dlq) => {
      // marked at once, so the next refresh does not ask again while this answer is on its way
      sparks.set(dlq.QueueName, { ...sparks.get(dlq.QueueName), at: now });
      try {
        const history = await api('GET', 'dlqs/' + encodeURIComponent(dlq.QueueName) + '/history?hours=24');
        sparks.set(dlq.QueueName, { at: now, history });
      } catch (error) {
        sparks.set(dlq.QueueName, { at: now, failed: error.message });
      }
      drawSpark(dlq.QueueName, Date.now());
    }));
  }

  function viewButton(dlq) {
    const open = el('button', { text: 'View…', attrs: { type: 'button', 'aria-label': 'View and peek at ' + dlq.QueueName } });
    open.addEventListener('click', () => showDlq(dlq));
    return open;
  }

  /** Org mode: Redrive… fills the start form with the DLQ's ARN, which routes it to its account; not while a redrive of it is active. */
  function redriveOffer(dlq, task) {
    if (task && ['RUNNING', 'CANCELLING'].includes(task.Status)) return el('span', { className: 'hint', text: 'a redrive is ' + task.Status.toLowerCase() });
    const pick = el('button', { text: 'Redrive…', attrs: { type: 'button', 'aria-label': 'Redrive ' + dlq.QueueName + inAccount(dlq.QueueArn) } });
    pick.addEventListener('click', () => {
      $('source').value = dlq.QueueArn;
      $('start-reason').focus();
    });
    return pick;
  }

  /** Opens a DLQ's view: its figures, recovery, history chart, redrive (with its dry run), peek and redrives. */
  function showDlq(dlq) {
    const same = state.view && state.view.dlq.QueueArn === dlq.QueueArn;
    state.view = { dlq, chartAt: 0 };
    $('dlq-view').hidden = false;
    $('dlq-view-title').textContent = 'Dead-letter queue ' + dlq.QueueName;
    $('peek').dataset.queueName = dlq.QueueName;
    if (!same) {
      $('peek-result').replaceChildren();
      $('peek-note').textContent = '';
      $('message-action-result').textContent = '';
    }
    window.redriveDashboard.openRedrive(dlq);
    window.redriveDashboard.openArchive(dlq);
    refreshView(dlq);
    $('dlq-view').scrollIntoView({ block: 'start' });
    $('dlq-view-title').focus({ preventScroll: true });
  }

  /** The open view from a newer entry of the same DLQ (each refresh): counts, recovery, redrive offer, chart and redrives. */
  function refreshView(dlq) {
    state.view.dlq = dlq;
    const now = Date.now();
    const expires = Date.parse(dlq.OldestMessageExpiresAt);
    $('dlq-view-summary').textContent = visible(formatNumber(dlq.ApproximateNumberOfMessages) + ' messages, ' +
      formatNumber(dlq.ApproximateNumberOfMessagesNotVisible) + ' in flight; ' + originOf(dlq) + ' dead letters from ' + sourcesOf(dlq) +
      (typeof dlq.OldestMessageAgeSeconds === 'number' ? '; the oldest is ' + formatAge(dlq.OldestMessageAgeSeconds) + ' old' : '') +
      (Number.isFinite(expires) ? ' and expires ' + (expires <= now ? 'now' : 'in ' + formatAge(Math.round((expires - now) / 1000))) : '') +
      (typeof dlq.RetentionSeconds === 'number' ? ' (messages are kept ' + formatAge(dlq.RetentionSeconds) + ')' : '') + '.');
    $('peek').disabled = Boolean(dlq.ActiveTask);
    if (dlq.ActiveTask) $('peek-note').textContent = 'A redrive of this queue is active: peeking would hide messages from it.';
    else if ($('peek-note').textContent.startsWith('A redrive')) $('peek-note').textContent = '';
    showRecovery(dlq);
    // the Active table's live view (the records and SQS), not the inventory's minute-old figure: a start from this view shows at once
    window.redriveDashboard.redriveBusy(window.redriveDashboard.activeTaskOn(dlq.QueueArn));
    if (now - state.view.chartAt > HISTORY_FRESH_MS) loadChart();
    loadViewTasks(dlq);
    window.redriveDashboard.loadArchives(dlq);
  }

  /** The view's chart of the last 24 hours or 7 days. */
  async function loadChart() {
    const view = state.view;
    const hours = Number($('chart-hours').value) || 24;
    view.chartAt = Date.now();
    try {
      const history = await api('GET', 'dlqs/' + encodeURIComponent(view.dlq.QueueName) + '/history?hours=' + hours);
      if (state.view !== view) return;
      $('chart').replaceChildren(window.redriveDashboard.historyChart(history, Date.now(), hours));
      $('chart-note').removeAttribute('title');
      $('chart-note').textContent = visible(window.redriveDashboard.describeHistory(history, Date.now(), hours) + '. The line is the messages held, the bars the new ones each inventory run found.');
    } catch (error) {
      if (state.view !== view) return;
      $('chart').replaceChildren();
      // the API's sentence on hover: a deployment without the history route, or a DLQ it has no point of yet
      $('chart-note').textContent = 'No history to draw yet.';
      $('chart-note').title = visible(error.message);
    }
  }

  /** The DLQ's own redrives, newest first (GET /tasks?sourceArn=). */
  async function loadViewTasks(dlq) {
    const { formatTime, statusSpan, whoWhy } = window.redriveDashboard;
    try {
      const answer = await api('GET', 'tasks?' + new URLSearchParams({ sourceArn: dlq.QueueArn, limit: '10' }));
      if (!state.view || state.view.dlq.QueueArn !== dlq.QueueArn) return;
      const rows = answer.tasks.map((task) => el('tr', { attrs: { 'data-task-id': task.taskId } },
        el('td', null, statusSpan(task.Status), task.FailureReason ? el('div', { className: 'reason', text: task.FailureReason }) : null),
        el('td', { text: task.Kind || 'native' }),
        el('td', { className: 'num', text: formatNumber(task.ApproximateNumberOfMessagesMoved) }),
        whoWhy(task.startedBy, task.startReason),
        el('td', { text: formatTime(task.StartedTimestamp) })));
      $('view-tasks').tBodies[0].replaceChildren(...rows);
      $('view-tasks-empty').hidden = rows.length > 0;
    } catch (error) {
      showError('Could not load the redrives of ' + dlq.QueueName, error);
    }
  }

  function showRecovery(dlq) {
    const recovery = dlq.Recovery;
    $('recovery-panel').hidden = !recovery;
    if (!recovery) return;
    $('recovery-panel').dataset.queueName = dlq.QueueName;
    $('recovery-text').textContent = visible('Recovery: ' + recoverySummary(recovery) + ' — since ' + new Date(recovery.Since).toLocaleString() + ': ' + recovery.Reason +
      (recovery.RunId ? ' (run ' + recovery.RunId + ')' : ''));
    $('recovery-hold').hidden = recovery.State === 'HELD';
    $('recovery-release').hidden = recovery.State !== 'HELD';
  }

  // ---- hold and release, each asking why
  function askRecovery(action) {
    clearError();
    const name = $('recovery-panel').dataset.queueName;
    state.pendingRecovery = { action, name, button: $(action === 'hold' ? 'recovery-hold' : 'recovery-release') };
    $('confirm-recovery-title').textContent = (action === 'hold' ? 'Hold' : 'Release') + ' the recovery of ' + name + '?';
    $('confirm-recovery-text').textContent = action === 'hold'
      ? 'Nothing automatic happens until a person releases it; a running redrive keeps running.'
      : 'It becomes PAUSED and resumes once every alarm has been OK for its quiet period.';
    $('confirm-recovery-go').textContent = action === 'hold' ? 'Hold' : 'Release';
    $('recovery-reason').value = '';
    $('confirm-recovery').showModal();
    $('recovery-reason').focus();
  }
  $('recovery-hold').addEventListener('click', () => askRecovery('hold'));
  $('recovery-release').addEventListener('click', () => askRecovery('release'));
  $('confirm-recovery-back').addEventListener('click', () => $('confirm-recovery').close());
  $('confirm-recovery').addEventListener('close', () => {
    if (state.pendingRecovery) state.pendingRecovery.button.focus();
  });
  $('confirm-recovery-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = $('recovery-reason').value.trim();
    if (!reason) {
      $('recovery-reason').setAttribute('aria-invalid', 'true');
      $('recovery-reason').focus();
      return;
    }
    $('recovery-reason').removeAttribute('aria-invalid');
    const { action, name } = state.pendingRecovery;
    $('confirm-recovery').close();
    try {
      const answer = await api('POST', 'dlqs/' + encodeURIComponent(name) + '/recovery', { Action: action, Reason: reason });
      showNotice('The recovery of ' + name + ' is ' + answer.Recovery.State + '.');
      const dlq = state.dlqs.find((entry) => entry.QueueName === name);
      if (dlq) showRecovery({ ...dlq, Recovery: answer.Recovery });
    } catch (error) {
      showError('Could not ' + action + ' the recovery of ' + name, error);
    }
    await loadDlqs();
  });

  /** JSON bodies pretty-printed; anything else exactly as it came. Text either way. */
  function prettyBody(body) {
    try { return JSON.stringify(JSON.parse(body), null, 2); } catch { return body; }
  }

  function messageDetails(message, now, name) {
    const age = Math.max(0, Math.round((now - message.SentTimestamp) / 1000));
    const summary = el('summary', { text: message.MessageId + ' · ' + formatAge(age) + ' old · received ' + message.ApproximateReceiveCount + '×' +
      (message.MessageGroupId ? ' · group ' + message.MessageGroupId : '') + (message.BodyTruncated ? ' · body cut at 8 KiB' : '') });
    const attributes = el('dl', { className: 'attributes' });
    for (const [name, value] of Object.entries(message.MessageAttributes || {})) {
      attributes.append(el('dt', { text: name + ' (' + value.DataType + ')' }), el('dd', { text: value.StringValue === undefined ? '(binary)' : value.StringValue }));
    }
    return el('details', { className: 'message' }, summary,
      attributes.childElementCount ? attributes : el('p', { className: 'empty', text: 'No message attributes.' }),
      el('pre', { className: 'body', text: prettyBody(message.Body) }),
      window.redriveDashboard.messageActions(message, name));
  }

  async function peek() {
    const name = $('peek').dataset.queueName;
    const max = Number($('peek-max').value) || 10;
    $('peek').disabled = true;
    $('peek-note').textContent = 'Peeking…';
    try {
      const answer = await api('POST', 'dlqs/' + encodeURIComponent(name) + '/peek', { MaxMessages: max });
      const now = Date.now();
      // grouped by the queue each message failed in; oldest first within a group
      const groups = new Map();
      for (const message of answer.Messages) {
        const key = message.SourceArn || '';
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(message);
      }
      const sections = [...groups.entries()].map(([source, messages]) => el('section', { className: 'peek-group' },
        el('h4', { text: (source ? 'From ' + queueName(source) : 'Source unknown') + ' (' + messages.length + ')' }),
        ...messages.sort((a, b) => a.SentTimestamp - b.SentTimestamp).map((message) => messageDetails(message, now, name))));
      $('peek-result').replaceChildren(...sections);
      $('peek-note').textContent = answer.Messages.length + ' messages seen at ' + new Date(answer.PeekedAt).toLocaleTimeString() + '; every one is visible again, none was deleted.';
    } catch (error) {
      $('peek-note').textContent = '';
      showError('Could not peek at ' + name, error);
    } finally {
      $('peek').disabled = false;
    }
  }

  $('dlqs-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.prefix = $('dlqs-prefix').value.trim();
    state.tokens = [undefined];
    state.page = 0;
    loadDlqs();
  });
  /** After a decision on a message: the peek again, unless a redrive of the DLQ is active (peeking would hide its messages). */
  async function peekAgain() {
    if (!$('peek').disabled) await peek();
  }
  Object.assign(window.redriveDashboard, { fetchDlqs, showDlqs, firstDlqPage, peekAgain });
  $('dlqs-next').addEventListener('click', () => { state.page += 1; loadDlqs(); });
  $('dlqs-first').addEventListener('click', () => { state.page = 0; loadDlqs(); });
  $('peek').addEventListener('click', peek);
  $('dlq-view-close').addEventListener('click', () => {
    $('dlq-view').hidden = true;
    state.view = undefined;
  });
  $('chart-hours').addEventListener('change', () => { if (state.view) loadChart(); });
  // the last of the page's scripts: every part is in place, so the first refresh loads them all
  window.redriveDashboard.refresh();
})();
