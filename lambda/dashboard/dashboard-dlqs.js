// The dashboard's DLQ list and DLQ view (GET /dlqs, POST /dlqs/{queueName}/peek, .../recovery). Uses the main
// script's helpers; every value from the API, message bodies above all, is set as text, never markup.
(() => {
  'use strict';
  const { ORG, route, chosenAccount, inAccount, api, el, visible, formatNumber, showError, showNotice, clearError } = window.redriveDashboard;
  const $ = (id) => document.getElementById(id);
  const PAGE_SIZE = 25;
  const state = { tokens: [undefined], page: 0, prefix: '', dlqs: [], shown: undefined, generation: 0, failure: undefined };
  const queueName = (arn) => (arn || '').split(':').pop();
  // a function's name with its qualifier; a rule's name without its bus (API.md section 11's Targets)
  const targetName = (arn) => (arn || '').includes(':function:') ? arn.slice(arn.indexOf(':function:') + 10) : (arn || '').split(/[:/]/).pop();
  /** What fails into the DLQ: its source queues, its functions, its rules' targets as `rule → target`. */
  const failsFrom = (dlq) => [
    ...(dlq.SourceQueueArns || []).map(queueName),
    ...(Array.isArray(dlq.Targets) ? dlq.Targets : []).map((target) => (target && target.Kind === 'rule-target' && target.RuleArn ? targetName(target.RuleArn) + ' → ' : '') + targetName(target && target.Arn)),
  ].join(', ');
  const ORIGINS = { sqs: 'SQS', lambda: 'Lambda', eventbridge: 'EventBridge' };
  // an older account's entry in the org view has no Origin: its DLQs were SQS's; an unknown one is shown as sent (as text)
  const originLabel = (origin) => (Object.prototype.hasOwnProperty.call(ORIGINS, origin) ? ORIGINS[origin] : typeof origin === 'string' && origin ? origin : 'SQS');

  function formatAge(seconds) {
    if (typeof seconds !== 'number') return '–';
    if (seconds < 60) return seconds + 's';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm';
    if (seconds < 86400) return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
    return Math.floor(seconds / 86400) + 'd ' + Math.floor((seconds % 86400) / 3600) + 'h';
  }

  /**
   * When SQS deletes the DLQ's oldest message (OldestMessageExpiresAt), as text with the retention in the
   * title; within a day it is highlighted, so nothing expires unseen (docs/decisions.md).
   */
  function expiryCell(dlq) {
    const retention = typeof dlq.RetentionSeconds === 'number' ? 'retention ' + formatAge(dlq.RetentionSeconds) : '';
    if (!dlq.OldestMessageExpiresAt) return el('td', { text: '–', ...(retention ? { title: retention } : {}) });
    const at = new Date(dlq.OldestMessageExpiresAt);
    const left = Math.round((at.getTime() - Date.now()) / 1000);
    const soon = left < 86400;
    return el('td', {
      className: soon ? 'expires-soon' : '',
      text: left <= 0 ? 'now' : 'in ' + formatAge(left),
      title: at.toLocaleString() + (retention ? ' · ' + retention : ''),
    });
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
    const rows = page.dlqs.map((dlq) => {
      const task = ORG ? window.redriveDashboard.activeTaskOn(dlq.QueueArn) : dlq.ActiveTask;
      return el('tr', { attrs: { 'data-queue-arn': dlq.QueueArn, ...(dlq.asOf ? { title: 'Figures as of ' + new Date(dlq.asOf).toLocaleString() } : {}) } },
        ORG ? el('td', { className: 'account', text: dlq.AccountId || '–' }) : null,
        el('td', null, el('div', { text: dlq.QueueName }), el('div', { className: 'arn', text: dlq.QueueArn })),
        el('td', { className: 'num', text: formatNumber(dlq.ApproximateNumberOfMessages) }),
        el('td', { className: 'num', text: formatNumber(dlq.ApproximateNumberOfMessagesNotVisible) }),
        el('td', { text: formatAge(dlq.OldestMessageAgeSeconds) }),
        expiryCell(dlq),
        el('td', { text: failsFrom(dlq) || '–' }),
        el('td', { text: task ? task.Status + ' · ' + formatNumber(task.ApproximateNumberOfMessagesMoved) + ' moved' : '–' }),
        // the reason is free text: shown escaped as every other value (the title option goes through visible)
        el('td', { className: 'recovery', text: recoverySummary(dlq.Recovery), ...(dlq.Recovery ? { title: dlq.Recovery.Reason } : {}) }),
        el('td', { className: 'origin', text: originLabel(dlq.Origin) }),
        el('td', null, ORG ? redriveOffer(dlq, task) : viewButton(dlq)));
    });
    $('dlqs').tBodies[0].replaceChildren(...rows);
    $('dlqs-empty').hidden = rows.length > 0;
    // the org view's figures come from each account's own inventory, each with its time
    $('dlqs-as-of').textContent = page.asOf ? 'Figures as of ' + new Date(page.asOf).toLocaleTimeString() + ' (refreshed every minute).'
      : 'Each DLQ\'s figures are from its account\'s last inventory (hover a row for the time; each account\'s last event is under Accounts).';
    $('dlqs-next').disabled = !page.nextToken;
    $('dlqs-first').disabled = state.page === 0;
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

  function showDlq(dlq) {
    $('dlq-view').hidden = false;
    $('dlq-view-title').textContent = 'Dead-letter queue ' + dlq.QueueName;
    $('dlq-view-summary').textContent = formatNumber(dlq.ApproximateNumberOfMessages) + ' messages, ' +
      formatNumber(dlq.ApproximateNumberOfMessagesNotVisible) + ' in flight; origin: ' + originLabel(dlq.Origin) + '; fails from: ' + (failsFrom(dlq) || 'none');
    $('peek').dataset.queueName = dlq.QueueName;
    $('peek').disabled = Boolean(dlq.ActiveTask);
    $('peek-note').textContent = dlq.ActiveTask ? 'A redrive of this queue is active: peeking would hide messages from it.' : '';
    $('peek-result').replaceChildren();
    showRecovery(dlq);
    $('dlq-view-title').focus();
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

  function messageDetails(message, now) {
    const age = Math.max(0, Math.round((now - message.SentTimestamp) / 1000));
    const summary = el('summary', { text: message.MessageId + ' · ' + formatAge(age) + ' old · received ' + message.ApproximateReceiveCount + '×' +
      (message.MessageGroupId ? ' · group ' + message.MessageGroupId : '') + (message.BodyTruncated ? ' · body cut at 8 KiB' : '') });
    const attributes = el('dl', { className: 'attributes' });
    for (const [name, value] of Object.entries(message.MessageAttributes || {})) {
      attributes.append(el('dt', { text: name + ' (' + value.DataType + ')' }), el('dd', { text: value.StringValue === undefined ? '(binary)' : value.StringValue }));
    }
    return el('details', { className: 'message' }, summary,
      attributes.childElementCount ? attributes : el('p', { className: 'empty', text: 'No message attributes.' }),
      el('pre', { className: 'body', text: prettyBody(message.Body) }));
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
        ...messages.sort((a, b) => a.SentTimestamp - b.SentTimestamp).map((message) => messageDetails(message, now))));
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
  Object.assign(window.redriveDashboard, { fetchDlqs, showDlqs, firstDlqPage });
  $('dlqs-next').addEventListener('click', () => { state.page += 1; loadDlqs(); });
  $('dlqs-first').addEventListener('click', () => { state.page = 0; loadDlqs(); });
  $('peek').addEventListener('click', peek);
  $('dlq-view-close').addEventListener('click', () => { $('dlq-view').hidden = true; });
  // the last of the page's scripts: every part is in place, so the first refresh loads them all
  window.redriveDashboard.refresh();
})();
