// A DLQ view's decisions: per-message Retry, Edit and Discard under each peeked message
// (POST /dlqs/{queueName}/messages/{messageId}, docs/decisions.md) and the archive/discard form
// (POST /dlqs/{queueName}/archive with section 7's selection fields, API.md section 12), and the DLQ's archives,
// each with Replay… (GET /archives?queue=, POST /archives/{taskId}/replay). Every action asks why in one
// dialog that names the queue (and the message or archive); answers and errors are shown as text only.
(() => {
  'use strict';
  const { api, el, visible, formatNumber, showError, showNotice, clearError, inAccount } = window.redriveDashboard;
  const $ = (id) => document.getElementById(id);
  const state = { dlq: undefined, pending: undefined };

  const VERBS = { retry: 'Retry', edit: 'Edit and send', discard: 'Discard' };
  const EXPLAIN = {
    retry: 'It is sent unchanged to the queue it failed in, then deleted from the DLQ.',
    edit: 'The body below is sent to the queue it failed in; the original is archived, then deleted, and never sent.',
    discard: 'It is archived, then deleted from the DLQ.',
  };

  /** The dialog every action goes through: `question` names the queue; `withBody` shows the body to send, prefilled. */
  function ask(pending, title, question, go, body) {
    clearError();
    state.pending = pending;
    $('confirm-action-title').textContent = visible(title);
    $('confirm-action-text').textContent = visible(question);
    $('confirm-action-go').textContent = go;
    // sending messages back is not destructive; a discard, an archive and an edit change the DLQ
    $('confirm-action-go').className = pending.action === 'retry' || pending.action === 'replay-archive' ? 'primary' : 'danger';
    $('action-body-field').hidden = body === undefined;
    $('action-body').value = body === undefined ? '' : body;
    $('action-reason').value = '';
    $('action-reason').removeAttribute('aria-invalid');
    $('confirm-action').showModal();
    (body === undefined ? $('action-reason') : $('action-body')).focus();
  }

  /** Retry, Edit…, Discard… for one peeked message of the DLQ named `queueName`. */
  function messageActions(message, queueName) {
    const buttons = ['retry', 'edit', 'discard'].map((action) => {
      const button = el('button', { text: action === 'retry' ? 'Retry…' : action === 'edit' ? 'Edit…' : 'Discard…',
        attrs: { type: 'button', 'data-action': action, 'aria-label': VERBS[action].replace(' and send', '') + ' message ' + message.MessageId } });
      // an edit of a body cut at 8 KiB would send the cut copy: only the whole body can be edited here
      if (action === 'edit' && message.BodyTruncated) {
        button.disabled = true;
        button.title = 'The body was cut at 8 KiB: edit it with the API or the CLI';
      }
      button.addEventListener('click', () => ask({ action, queueName, message, button },
        VERBS[action] + ' message ' + message.MessageId + '?',
        VERBS[action] + ' message ' + message.MessageId + ' of ' + queueName + '? ' + EXPLAIN[action],
        VERBS[action], action === 'edit' ? message.Body : undefined));
      return button;
    });
    return el('div', { className: 'message-actions' }, ...buttons);
  }

  async function decideMessage({ action, queueName, message }, reason) {
    const body = { Action: action, Reason: reason };
    if (action === 'edit') body.Body = $('action-body').value;
    const result = $('message-action-result');
    const what = VERBS[action].toLowerCase() + ' message ' + message.MessageId + ' of ' + queueName;
    result.textContent = visible('Asked to ' + what + '…');
    try {
      const answer = await api('POST', 'dlqs/' + encodeURIComponent(queueName) + '/messages/' + encodeURIComponent(message.MessageId), body);
      const said = answer.Outcome === 'done'
        ? 'Done: ' + what + ' (task ' + answer.TaskId + ').'
        : 'Not found: one pass over ' + queueName + ' did not see message ' + message.MessageId + '; nothing was changed (task ' + answer.TaskId + ').';
      result.textContent = visible(said);
      showNotice(said);
    } catch (error) {
      result.textContent = visible('Could not ' + what + ': ' + error.message);
      showError('Could not ' + what, error);
    }
    // what the DLQ holds now: the peek again (when nothing else is moving) and the list
    await window.redriveDashboard.peekAgain();
    window.redriveDashboard.refresh();
  }

  // ---- the archive form: the same selection fields as the redrive form, under archive- ids
  /** The archive request the form describes, without Reason; throws an error naming the field it cannot read. */
  function readArchive() {
    const request = window.redriveDashboard.readSelection('archive', {});
    if ($('archive-delete').checked) request.Delete = true;
    return request;
  }
  function describeArchive(request) {
    const parts = [];
    if (request.FilterPolicy !== undefined) parts.push('that match the filter policy ' + JSON.stringify(request.FilterPolicy) + ' on the message ' + (request.FilterPolicyScope === 'MessageBody' ? 'body' : 'attributes'));
    if (request.SentAfter !== undefined) parts.push('sent after ' + new Date(request.SentAfter).toLocaleString());
    if (request.SentBefore !== undefined) parts.push('sent before ' + new Date(request.SentBefore).toLocaleString());
    const which = parts.length ? 'the messages ' + parts.join(', ') : 'every message';
    return (request.MaxMessages !== undefined ? 'at most ' + request.MaxMessages + ' of ' : '') + which;
  }

  /** Called when a DLQ's view opens: a new DLQ starts from an empty archive form and archive list (listed on each refresh of the view). */
  function openArchive(dlq) {
    if (!state.dlq || state.dlq.QueueArn !== dlq.QueueArn) {
      $('archive-form').reset();
      $('view-archives').tBodies[0].replaceChildren();
      $('view-archives-empty').hidden = true;
    }
    state.dlq = dlq;
  }

  // ---- the DLQ's archives, each replayable to the queues its messages failed in (API.md section 12)
  const WRITING = ['RUNNING', 'CANCELLING'];
  /** The archives of the open DLQ, newest first (GET /archives?queue=), each row with Replay…. */
  async function loadArchives(dlq) {
    const { formatTime, statusSpan, whoWhy } = window.redriveDashboard;
    try {
      const answer = await api('GET', 'archives?' + new URLSearchParams({ queue: dlq.QueueName, limit: '10' }));
      if (!state.dlq || state.dlq.QueueArn !== dlq.QueueArn) return;
      const rows = answer.archives.map((entry) => {
        const button = el('button', { text: 'Replay…', attrs: { type: 'button', 'aria-label': 'Replay archive ' + entry.TaskId } });
        // an archive still being written is not replayed: its DLQ's claim is held by it (docs/archive.md)
        if (WRITING.includes(entry.Status)) {
          button.disabled = true;
          button.title = 'Still being written: replay it once it has ended';
        }
        button.addEventListener('click', () => ask({ action: 'replay-archive', archive: entry, queueName: dlq.QueueName, button },
          'Replay archive ' + entry.TaskId + '?',
          'Replay the ' + formatNumber(entry.Messages) + ' archived messages of archive ' + entry.TaskId + ' (' + dlq.QueueName + inAccount(dlq.QueueArn) +
            ') to the queues they failed in? Each is sent at least once; the archive and the DLQ are not changed.',
          'Replay'));
        return el('tr', { attrs: { 'data-task-id': entry.TaskId } },
          el('td', null, statusSpan(entry.Status || '–')),
          el('td', { className: 'num', text: formatNumber(entry.Messages) }),
          whoWhy(entry.StartedBy, entry.Reason),
          el('td', { text: formatTime(Date.parse(entry.CreatedAt)) }),
          el('td', { text: entry.Deleted ? 'yes' : 'no' }),
          el('td', null, button));
      });
      $('view-archives').tBodies[0].replaceChildren(...rows);
      $('view-archives-empty').hidden = rows.length > 0;
    } catch (error) {
      showError('Could not load the archives of ' + dlq.QueueName, error);
    }
  }

  async function replayArchive({ archive: entry, queueName }, reason) {
    const what = 'replay archive ' + entry.TaskId + ' of ' + queueName;
    try {
      const answer = await api('POST', 'archives/' + encodeURIComponent(entry.TaskId) + '/replay', { Reason: reason });
      showNotice('Started to ' + what + ' (task ' + answer.TaskHandle + ').');
    } catch (error) {
      showError('Could not ' + what, error);
    }
    window.redriveDashboard.refresh();
  }

  $('archive-delete').addEventListener('change', () => {
    $('archive-start').textContent = $('archive-delete').checked ? 'Discard…' : 'Archive…';
    $('archive-start').className = $('archive-delete').checked ? 'danger' : '';
  });
  $('archive-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    let request;
    try {
      request = readArchive();
    } catch (error) {
      showError('Could not archive', error);
      return;
    }
    const dlq = state.dlq;
    const discard = request.Delete === true;
    ask({ action: discard ? 'discard-all' : 'archive', queueName: dlq.QueueName, request, button: $('archive-start') },
      (discard ? 'Discard' : 'Archive') + ' messages of ' + dlq.QueueName + '?',
      (discard ? 'Archive, then delete, ' : 'Archive ') + describeArchive(request) + ' of ' + dlq.QueueName + inAccount(dlq.QueueArn) + '?' +
        (discard ? ' Each is deleted from the DLQ only once the archive holds it.' : ' Every message stays in the DLQ.'),
      discard ? 'Discard' : 'Archive');
  });

  async function archive({ queueName, request }, reason) {
    const what = (request.Delete ? 'discard messages of ' : 'archive messages of ') + queueName;
    try {
      const answer = await api('POST', 'dlqs/' + encodeURIComponent(queueName) + '/archive', { ...request, Reason: reason });
      showNotice('Started to ' + what + ' (task ' + answer.TaskHandle + ').');
      $('archive-form').reset();
      $('archive-start').textContent = 'Archive…';
      $('archive-start').className = '';
    } catch (error) {
      showError('Could not ' + what, error);
    }
    window.redriveDashboard.refresh();
  }

  $('confirm-action-back').addEventListener('click', () => $('confirm-action').close());
  $('confirm-action').addEventListener('close', () => {
    if (state.pending && state.pending.button.isConnected) state.pending.button.focus();
  });
  $('confirm-action-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = $('action-reason').value.trim();
    if (!reason) {
      $('action-reason').setAttribute('aria-invalid', 'true');
      $('action-reason').focus();
      return;
    }
    const pending = state.pending;
    $('confirm-action').close();
    if (pending.message) decideMessage(pending, reason);
    else if (pending.archive) replayArchive(pending, reason);
    else archive(pending, reason);
  });

  Object.assign(window.redriveDashboard, { messageActions, openArchive, loadArchives });
})();
