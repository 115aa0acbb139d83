// The dashboard's script: a client of the same API the CLI uses. Every value from the API is
// rendered with textContent, never as markup: reasons and names are free text.
(() => {
  'use strict';
  const FAST_REFRESH_MS = 2000; // while a redrive runs
  const SLOW_REFRESH_MS = 30000;
  const ACTIVE = ['RUNNING', 'CANCELLING'];
  // relative to the page, so a stage prefix (/prod/) or a local proxy both work
  const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
  const $ = (id) => document.getElementById(id);
  // set by the API that served the page: 'org' from the org API, whose routes are under org/ and whose
  // actions go to the account that owns the queue or the handle (API.md section 9)
  const ORG = document.querySelector('meta[name="redrive-mode"]')?.getAttribute('content') === 'org';
  const route = (path) => (ORG ? 'org/' + path : path);
  /** The account filter's choice in org mode; '' for every account. */
  const chosenAccount = () => (ORG ? $('account-filter').value : '');

  // one snapshot per render: every table and dialog reads the same merged view of each task
  // refreshes and historyRequests number the requests: an answer a later one superseded (a filter or page change) is dropped
  const state = { queues: [], active: [], history: { tasks: [] }, historyTokens: [undefined], historyPage: 0, filters: {}, timer: undefined, pendingCancel: undefined, watchedStart: undefined,
    refreshes: 0, historyRequests: 0 };
  const activeById = () => new Map(state.active.map((task) => [task.taskId, task]));

  class ApiError extends Error {}

  async function api(method, path, body) {
    const init = { method, headers: { accept: 'application/json', 'x-redrive-client': 'dashboard' } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(base + path, init);
    } catch (error) {
      throw new ApiError('The API could not be reached (' + error.message + ')');
    }
    const text = await response.text();
    let parsed;
    try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = undefined; }
    if (!response.ok) {
      const message = parsed && typeof parsed.message === 'string' ? parsed.message : 'HTTP ' + response.status + ' ' + response.statusText;
      throw new ApiError(message);
    }
    if (parsed === undefined) throw new ApiError('The API answered something other than JSON');
    return parsed;
  }

  // ---- rendering helpers: elements and text only
  // Control characters (C0 but line breaks, DEL, C1, line and bidi marks) are shown as \xNN / \uNNNN,
  // as the CLI shows them (cli/terminal-text.ts): the record keeps what was sent, the page shows it.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  function visible(text) {
    return String(text).replace(CONTROL, (char) => {
      const code = char.charCodeAt(0);
      return code <= 0xff ? '\\x' + code.toString(16).toUpperCase().padStart(2, '0') : '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    });
  }
  function el(tag, options, ...children) {
    const node = document.createElement(tag);
    if (options) {
      if (options.className) node.className = options.className;
      if (options.text !== undefined) node.textContent = visible(options.text);
      if (options.title) node.title = visible(options.title);
      for (const [name, value] of Object.entries(options.attrs || {})) node.setAttribute(name, String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }
  const td = (options, ...children) => el('td', options, ...children);
  const queueName = (arn) => (arn || '').split(':').pop();
  const accountOfArn = (arn) => (arn || '').split(':')[4] || '';
  /** ' in account 222222222222' in org mode, where every queue belongs to an account; '' otherwise. */
  const inAccount = (arn) => (ORG && accountOfArn(arn) ? ' in account ' + accountOfArn(arn) : '');
  const accountCell = (accountId) => (ORG ? td({ className: 'account', text: accountId || '–' }) : null);
  const formatTime = (ms) => (ms ? new Date(ms).toLocaleString() : '–');
  const formatNumber = (n) => (typeof n === 'number' ? n.toLocaleString() : '–');
  const messages = (n) => formatNumber(n) + (n === 1 ? ' message' : ' messages');
  function formatElapsed(fromMs, toMs) {
    if (!fromMs) return '–';
    let seconds = Math.max(0, Math.round(((toMs || Date.now()) - fromMs) / 1000));
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    return (hours ? hours + 'h ' : '') + (hours || minutes ? minutes + 'm ' : '') + seconds + 's';
  }
  function queueCell(arn) {
    return td(null, el('div', { text: queueName(arn) }), el('div', { className: 'arn', text: arn }));
  }
  function statusSpan(status) {
    return el('span', { className: 'status status-' + status, text: status });
  }
  function whoWhy(by, why) {
    if (!by && !why) return td({ text: '–' });
    return td(null, el('div', { text: by || '–' }), why ? el('div', { className: 'reason', text: why }) : null);
  }
  function progressOf(task) {
    const moved = task.ApproximateNumberOfMessagesMoved || 0;
    const total = task.ApproximateNumberOfMessagesToMove;
    const label = typeof total === 'number' ? formatNumber(moved) + ' of ' + formatNumber(total) + ' moved' : formatNumber(moved) + ' moved';
    const bar = el('progress', { attrs: { max: typeof total === 'number' && total > 0 ? total : 1, 'aria-label': label } });
    bar.value = typeof total === 'number' && total > 0 ? Math.min(moved, total) : 0;
    return td(null, bar, el('div', { text: label }));
  }
  function fill(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function showError(context, error) {
    const box = $('error');
    box.textContent = visible(context + ': ' + (error instanceof Error ? error.message : String(error)));
    box.hidden = false;
  }
  function clearError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }
  function showNotice(text) {
    const box = $('notice');
    box.textContent = visible(text);
    box.hidden = false;
  }

  // shared with the org mode's and the DLQ scripts (dashboard-org.js, dashboard-dlqs.js), which run after this one
  window.redriveDashboard = { ORG, route, chosenAccount, inAccount, api, el, visible, formatNumber, showError, showNotice, clearError };

  // ---- data
  /** Records say who and why; SQS's ListMessageMoveTasks says how far it got, always current. */
  async function loadActive() {
    const pages = await Promise.all(ACTIVE.map((status) => {
      const params = new URLSearchParams({ status, limit: '100' });
      if (chosenAccount()) params.set('accountId', chosenAccount());
      return api('GET', route('tasks?' + params));
    }));
    const records = pages.flatMap((page) => page.tasks);
    return Promise.all(records.map(async (record) => {
      try {
        const live = await api('POST', route('ListMessageMoveTasks'), { SourceArn: record.SourceArn, MaxResults: 1 });
        const newest = live.Results && live.Results[0];
        // one active task per queue: the newest is this record's task unless its handle says otherwise
        const same = newest && (!newest.TaskHandle || !record.TaskHandle || newest.TaskHandle === record.TaskHandle);
        return same ? { ...record, ...newest, TaskHandle: record.TaskHandle || newest.TaskHandle } : record;
      } catch {
        return record;
      }
    }));
  }

  function renderActive() {
    const rows = state.active.map((task) => {
      const cancel = el('button', { text: 'Cancel…', attrs: { type: 'button', 'aria-label': 'Cancel the redrive of ' + queueName(task.SourceArn) + inAccount(task.SourceArn) } });
      cancel.disabled = task.Status !== 'RUNNING' || !task.TaskHandle;
      cancel.addEventListener('click', () => askCancel(task.taskId, cancel));
      return el('tr', { attrs: { 'data-task-id': task.taskId } },
        accountCell(task.AccountId),
        queueCell(task.SourceArn),
        td(null, statusSpan(task.Status), task.FailureReason ? el('div', { className: 'reason', text: task.FailureReason }) : null),
        progressOf(task),
        td({ text: task.MaxNumberOfMessagesPerSecond ? task.MaxNumberOfMessagesPerSecond + '/s' : 'SQS default' }),
        whoWhy(task.startedBy, task.startReason),
        td({ text: formatTime(task.StartedTimestamp) }),
        td({ text: formatElapsed(task.StartedTimestamp) }),
        td(null, cancel));
    });
    fill($('active').tBodies[0], rows);
    $('active-empty').hidden = rows.length > 0;
  }

  /** The managed queues (GET /queues) name the start forms' queues: the DLQs themselves are listed once, in dashboard-dlqs.js. */
  function rememberQueues() {
    const options = state.queues.map((queue) => el('option', { attrs: { value: queue.QueueName }, text: queue.QueueArn }));
    $('queue-options').replaceChildren(...options);
  }

  /**
   * Asks for the current history page; the queue filter is already an ARN (resolved when applied).
   * Never rejects: the answer, or the error, carries the request's number for keepHistory.
   */
  async function fetchHistory() {
    state.historyRequests += 1;
    const request = { number: state.historyRequests, page: state.historyPage };
    const params = new URLSearchParams({ limit: '25' });
    if (state.filters.sourceArn) params.set('sourceArn', state.filters.sourceArn);
    if (state.filters.status) params.set('status', state.filters.status);
    if (chosenAccount()) params.set('accountId', chosenAccount());
    const token = state.historyTokens[state.historyPage];
    if (token) params.set('nextToken', token);
    try {
      return { ...request, answer: await api('GET', route('tasks?' + params)) };
    } catch (error) {
      return { ...request, error };
    }
  }

  /** Keeps a fetchHistory answer unless a later request superseded it; says a failure. */
  function keepHistory(result) {
    if (result.number !== state.historyRequests) return;
    if (result.error) {
      showError('Could not load the history', result.error);
      return;
    }
    state.historyTokens[result.page + 1] = result.answer.nextToken;
    state.history = result.answer;
  }

  async function loadHistory() {
    keepHistory(await fetchHistory());
    renderHistory();
  }

  function renderHistory() {
    const page = state.history;
    // an active task's row shows the same merged view as the Active table, not the older record
    const live = activeById();
    const tasks = page.tasks.map((record) => live.get(record.taskId) || record);
    // a recovery run's tasks are grouped under one line naming the run and its rates, oldest first
    const rates = (runId) => tasks.filter((task) => task.RunId === runId).map((task) => (task.MaxNumberOfMessagesPerSecond || '?') + '/s').reverse().join(' → ');
    const rows = tasks.flatMap((task, index) => {
      const row = el('tr', { attrs: { 'data-task-id': task.taskId, ...(task.RunId ? { 'data-run-id': task.RunId } : {}) } },
      accountCell(task.AccountId),
      queueCell(task.SourceArn),
      td(null, statusSpan(task.Status), task.FailureReason ? el('div', { className: 'reason', text: task.FailureReason }) : null),
      td({ className: 'num', text: formatNumber(task.ApproximateNumberOfMessagesMoved) }),
      whoWhy([task.startedBy, task.RunId ? (task.MaxNumberOfMessagesPerSecond || '?') + '/s' : '', task.Force ? 'forced past a recovery pause' : ''].filter(Boolean).join(' · '), task.startReason),
      whoWhy(task.cancelledBy, task.cancelReason),
      td({ text: formatTime(task.StartedTimestamp) }),
      td({ className: 'arn', text: task.taskId }));
      if (!task.RunId || tasks[index - 1]?.RunId === task.RunId) return [row];
      const header = el('tr', { className: 'run-header', attrs: { 'data-run-id': task.RunId } },
        el('th', { attrs: { colspan: ORG ? '8' : '7', scope: 'rowgroup' }, text: 'Recovery run ' + task.RunId + ': ' + rates(task.RunId) }));
      return [header, row];
    });
    fill($('history').tBodies[0], rows);
    $('history-empty').hidden = rows.length > 0;
    $('history-next').disabled = !page.nextToken;
    $('history-first').disabled = state.historyPage === 0;
  }

  async function refresh() {
    clearTimeout(state.timer);
    state.refreshes += 1;
    const number = state.refreshes;
    // fetch everything, the current DLQ and history pages too, then render everything from that one snapshot;
    // the history and the DLQs never reject: a failure of theirs leaves the other tables updating
    // the org view has no managed queues (each account's own dashboard has them), but has its accounts
    const dlqs = window.redriveDashboard.fetchDlqs();
    const history = fetchHistory();
    let snapshot;
    let failure;
    try {
      snapshot = await Promise.all([ORG ? undefined : api('GET', 'queues'), loadActive(), ORG ? api('GET', 'org/accounts') : undefined]);
    } catch (error) {
      failure = error;
    }
    const [dlqPage, historyPage] = await Promise.all([dlqs, history]);
    // a later refresh (the account filter changed) renders instead, and sets the next timer
    if (number !== state.refreshes) return;
    try {
      if (failure) throw failure;
      const [queues, active, accounts] = snapshot;
      state.active = active;
      renderActive();
      if (ORG) {
        window.redriveDashboard.renderAccounts(accounts.accounts);
      } else {
        state.queues = queues.queues;
        rememberQueues();
      }
      $('refresh-state').textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      showError('Could not refresh', error);
    }
    keepHistory(historyPage);
    try {
      renderHistory();
    } catch (error) {
      // an entry the page cannot draw: said on the page; the refreshes go on
      showError('Could not show the history', error);
    }
    window.redriveDashboard.showDlqs(dlqPage);
    // last: a start that failed at once is the alert's last word, not a table's failure to load
    reportWatchedStart();
    const running = state.active.some((task) => ACTIVE.includes(task.Status));
    state.timer = setTimeout(refresh, running ? FAST_REFRESH_MS : SLOW_REFRESH_MS);
  }

  // ---- start
  /** A queue name (as the CLI takes it) or an ARN; names are looked up among the managed queues. */
  function resolveQueue(text, what) {
    if (text.startsWith('arn:')) return text;
    const queue = state.queues.find((candidate) => candidate.QueueName === text);
    if (!queue) throw new ApiError(what + ': no managed queue is named "' + text + '"; give a managed queue\'s name or a queue ARN');
    return queue.QueueArn;
  }
  /** As resolveQueue; in org mode a name is a DLQ of the org view, in the chosen account (dashboard-org.js). */
  async function resolveSource(text, what) {
    return ORG ? window.redriveDashboard.resolveOrgDlq(text, what) : resolveQueue(text, what);
  }
  /** A destination named without its ARN is a queue of the source's account (a redrive stays in its account). */
  function resolveDestination(text, source) {
    if (!ORG || text.startsWith('arn:')) return resolveQueue(text, 'Destination');
    return source.split(':').slice(0, 5).concat(text).join(':');
  }

  function taskIdOf(handle) {
    try { return JSON.parse(window.atob(handle)).taskId; } catch { return undefined; }
  }

  /** A start SQS fails at once (CouldNotDetermineMessageSource) is told as a failure, not as "Started". */
  function reportWatchedStart() {
    const watched = state.watchedStart;
    if (!watched) return;
    const task = activeById().get(watched.taskId) || state.history.tasks.find((entry) => entry.taskId === watched.taskId);
    if (task && task.Status === 'FAILED') {
      state.watchedStart = undefined;
      $('notice').hidden = true;
      showError('The redrive of ' + watched.name + ' failed', new Error(task.FailureReason || 'SQS gave no reason'));
    } else if (!task || !ACTIVE.includes(task.Status) || Date.now() - watched.at > 60000) {
      state.watchedStart = undefined;
    }
  }

  let pendingStart;
  /** Asks before any start: `question` names the queue (and its account) and what moves; `onStarted` runs once the API took it. */
  function confirmStart(request, question, onStarted) {
    pendingStart = { request, onStarted };
    $('confirm-start-text').textContent = visible(question);
    $('confirm-start').showModal();
    $('confirm-start-go').focus();
  }
  $('start-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const reasonField = $('start-reason');
    const reason = reasonField.value.trim();
    if (!reason) {
      reasonField.setAttribute('aria-invalid', 'true');
      reasonField.focus();
      return;
    }
    reasonField.removeAttribute('aria-invalid');
    const sourceText = $('source').value.trim();
    const destinationText = $('destination').value.trim();
    const rate = $('rate').value.trim();
    let source;
    let destination;
    try {
      source = await resolveSource(sourceText, 'Source DLQ');
      destination = destinationText ? resolveDestination(destinationText, source) : undefined;
    } catch (error) {
      showError('Could not start the redrive', error);
      return;
    }
    const queue = ORG ? window.redriveDashboard.knownOrgDlq(source) : state.queues.find((candidate) => candidate.QueueArn === source);
    if (queue && queue.RedriveRole === 'source') {
      showError('Could not start the redrive', new Error(queue.QueueName + ' is a source queue; SQS redrives only out of a DLQ: redrive ' + queueName(queue.DeadLetterTargetArn) + ' instead'));
      return;
    }
    const request = { SourceArn: source, Reason: reason };
    if (destination) request.DestinationArn = destination;
    if (rate) request.MaxNumberOfMessagesPerSecond = Number(rate);
    const count = queue ? messages(queue.ApproximateNumberOfMessages) : 'an unknown number of messages';
    confirmStart(request, 'Move ' + count + ' out of ' + queueName(source) + inAccount(source) + ' ' + whereAndHowFast(destination, rate) + '?', () => $('start-form').reset());
  });
  /** "back to their source queues, at SQS's default rate": the end of every start's question. */
  function whereAndHowFast(destination, rate) {
    return (destination ? 'into ' + queueName(destination) : 'back to their source queues') +
      (rate ? ', at ' + rate + (String(rate) === '1' ? ' message' : ' messages') + ' a second' : ', at SQS\'s default rate');
  }
  $('confirm-start-back').addEventListener('click', () => $('confirm-start').close());
  $('confirm-start-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('confirm-start').close();
    const { request, onStarted } = pendingStart;
    const name = queueName(request.SourceArn);
    try {
      const { TaskHandle } = await api('POST', route('StartMessageMoveTask'), request);
      onStarted();
      // SQS may fail a move at once: look before saying "Started"
      const live = await api('POST', route('ListMessageMoveTasks'), { SourceArn: request.SourceArn, MaxResults: 1 }).catch(() => ({ Results: [] }));
      const newest = live.Results && live.Results[0];
      if (newest && newest.Status === 'FAILED') {
        showError('The redrive of ' + name + ' failed', new Error(newest.FailureReason || 'SQS gave no reason'));
      } else {
        state.watchedStart = { taskId: taskIdOf(TaskHandle), name, at: Date.now() };
        showNotice('Started a redrive of ' + name + inAccount(request.SourceArn) + '.');
      }
    } catch (error) {
      showError('Could not start the redrive', error);
    }
    await refresh();
  });

  // ---- cancel
  function askCancel(taskId, button) {
    clearError();
    // the current snapshot's view of the task, the same the tables show
    const task = activeById().get(taskId);
    if (!task) return;
    state.pendingCancel = { task, button };
    $('confirm-cancel-text').textContent = 'The redrive of ' + queueName(task.SourceArn) + inAccount(task.SourceArn) + ' has moved ' +
      messages(task.ApproximateNumberOfMessagesMoved || 0) + ' so far. Messages already moved stay moved.';
    $('cancel-reason').value = '';
    $('confirm-cancel').showModal();
    $('cancel-reason').focus();
  }
  $('confirm-cancel-back').addEventListener('click', () => $('confirm-cancel').close());
  $('confirm-cancel').addEventListener('close', () => {
    if (state.pendingCancel) state.pendingCancel.button.focus();
  });
  $('confirm-cancel-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = $('cancel-reason').value.trim();
    if (!reason) {
      $('cancel-reason').setAttribute('aria-invalid', 'true');
      $('cancel-reason').focus();
      return;
    }
    $('cancel-reason').removeAttribute('aria-invalid');
    const { task } = state.pendingCancel;
    $('confirm-cancel').close();
    try {
      const result = await api('POST', route('CancelMessageMoveTask'), { TaskHandle: task.TaskHandle, Reason: reason });
      showNotice('Cancelling the redrive of ' + queueName(task.SourceArn) + inAccount(task.SourceArn) + ' after ' + messages(result.ApproximateNumberOfMessagesMoved) + '.');
    } catch (error) {
      showError('Could not cancel the redrive', error);
    }
    await refresh();
  });

  // ---- history filters and paging
  $('history-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    // a queue name is resolved once, here, and refused here; every refresh then asks by the ARN
    const text = $('filter-source').value.trim();
    let sourceArn;
    try {
      sourceArn = text ? await resolveSource(text, 'The queue filter') : '';
    } catch (error) {
      showError('Could not load the history', error);
      return;
    }
    state.filters = { sourceArn, status: $('filter-status').value };
    state.historyTokens = [undefined];
    state.historyPage = 0;
    await loadHistory();
  });
  $('history-next').addEventListener('click', () => {
    state.historyPage += 1;
    loadHistory();
  });
  $('history-first').addEventListener('click', () => {
    state.historyPage = 0;
    loadHistory();
  });
  $('refresh').addEventListener('click', () => { clearError(); refresh(); });
  window.redriveDashboard.refresh = refresh;
  Object.assign(window.redriveDashboard, { confirmStart, whereAndHowFast, messages, resolveQueue, formatTime, statusSpan, whoWhy, queueName, ACTIVE,
    knownQueue: (arn) => state.queues.find((queue) => queue.QueueArn === arn) });
  window.redriveDashboard.activeTaskOn = (arn) => state.active.find((task) => task.SourceArn === arn && ACTIVE.includes(task.Status));
  if (ORG) {
    // the account filter narrows the redrives here and the DLQs in dashboard-dlqs.js
    $('account-filter').addEventListener('change', () => {
      state.historyTokens = [undefined];
      state.historyPage = 0;
      window.redriveDashboard.firstDlqPage();
      clearError();
      refresh();
    });
  }
  // dashboard-dlqs.js, the last script, starts the first refresh
})();
