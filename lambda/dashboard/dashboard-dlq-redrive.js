// A DLQ view's redrive form: all of it, or only the messages that match (API.md section 7: FilterPolicy,
// FilterPolicyScope, SentAfter, SentBefore, MaxMessages). A selective redrive starts only after a dry run
// (DryRun: true, which moves nothing) of exactly the choices on screen has answered: changing any of them
// asks for another. Every start goes through the page's one confirmation, naming the queue. Text only.
(() => {
  'use strict';
  const { inAccount, api, visible, showError, clearError } = window.redriveDashboard;
  const $ = (id) => document.getElementById(id);
  const state = { dlq: undefined, dryRun: undefined, busy: undefined };

  class FormError extends Error {}

  /** A datetime-local field as epoch milliseconds (the browser's time zone), or undefined when empty. */
  function epochOf(id, label) {
    const text = $(id).value;
    if (!text) return undefined;
    const ms = new Date(text).getTime();
    if (!Number.isFinite(ms)) throw new FormError(label + ' is not a date and time');
    return ms;
  }

  /**
   * Section 7's selection fields of a form whose ids start with `prefix` (the redrive form's view-, the archive
   * form's archive-), added to `request`; throws a FormError naming the field it cannot read.
   */
  function readSelection(prefix, request) {
    const filter = $(prefix + '-filter').value.trim();
    if (filter) {
      try {
        request.FilterPolicy = JSON.parse(filter);
      } catch (error) {
        throw new FormError('The filter policy is not JSON (' + error.message + ')');
      }
      if ($(prefix + '-scope').value === 'MessageBody') request.FilterPolicyScope = 'MessageBody';
    }
    const after = epochOf(prefix + '-sent-after', 'Sent after');
    const before = epochOf(prefix + '-sent-before', 'Sent before');
    if (after !== undefined) request.SentAfter = after;
    if (before !== undefined) request.SentBefore = before;
    const max = $(prefix + '-max').value.trim();
    if (max) request.MaxMessages = Number(max);
    return request;
  }

  /** The StartMessageMoveTask request the form describes, without Reason; throws a FormError naming the field it cannot read. */
  function readRequest() {
    const { resolveQueue } = window.redriveDashboard;
    const request = { SourceArn: state.dlq.QueueArn };
    const destination = $('view-destination').value.trim();
    if (destination) request.DestinationArn = resolveQueue(destination, 'Send them to');
    const rate = $('view-rate').value.trim();
    if (rate) request.MaxNumberOfMessagesPerSecond = Number(rate);
    return readSelection('view', request);
  }
  const isSelective = (request) => ['FilterPolicy', 'SentAfter', 'SentBefore', 'MaxMessages'].some((name) => request[name] !== undefined);
  /** What a dry run answers for: the queue, the destination and the selection (the rate and the why change nothing in it). */
  function dryRunKey(request) {
    const rest = { ...request };
    delete rest.MaxNumberOfMessagesPerSecond;
    return JSON.stringify(rest);
  }
  /** "the filter policy on message attributes; sent after …; at most 5": the selection in words, for the confirmation. */
  function describeSelection(request) {
    const parts = [];
    if (request.FilterPolicy !== undefined) parts.push('the filter policy ' + JSON.stringify(request.FilterPolicy) + ' on the message ' + (request.FilterPolicyScope === 'MessageBody' ? 'body' : 'attributes'));
    if (request.SentAfter !== undefined) parts.push('sent after ' + new Date(request.SentAfter).toLocaleString());
    if (request.SentBefore !== undefined) parts.push('sent before ' + new Date(request.SentBefore).toLocaleString());
    if (request.MaxMessages !== undefined) parts.push('at most ' + request.MaxMessages);
    return parts.join('; ');
  }

  /** Start is offered when no redrive of the DLQ is active and, for a selective one, the dry run answered for the choices on screen. */
  function gate() {
    if (!state.dlq) return;
    const result = $('view-dry-run-result');
    let request;
    try {
      request = readRequest();
    } catch {
      request = undefined;
    }
    const fresh = Boolean(request && state.dryRun && state.dryRun.key === dryRunKey(request));
    const needsDryRun = Boolean(request && isSelective(request) && !fresh);
    $('view-start').disabled = Boolean(state.busy) || needsDryRun;
    $('view-dry-run').disabled = Boolean(state.busy);
    if (state.dryRun && !fresh) {
      result.textContent = 'The choices changed since the dry run: run it again before a selective start.';
      result.dataset.stale = 'true';
    } else if (needsDryRun) {
      result.textContent = 'A selective redrive starts after a dry run of these choices.';
    }
  }

  /** Called when a DLQ's view opens: a new DLQ starts from an empty form. */
  function openRedrive(dlq) {
    if (!state.dlq || state.dlq.QueueArn !== dlq.QueueArn) {
      $('view-redrive-form').reset();
      state.dryRun = undefined;
      $('view-dry-run-result').textContent = '';
      delete $('view-dry-run-result').dataset.stale;
      $('view-why').removeAttribute('aria-invalid');
    }
    state.dlq = dlq;
    gate();
  }

  /** The DLQ's active redrive (or none): no other start, no dry run (its messages in flight would be skipped), while it runs. */
  function redriveBusy(task) {
    state.busy = task && ['RUNNING', 'CANCELLING'].includes(task.Status) ? task : undefined;
    $('view-redrive-busy').hidden = !state.busy;
    $('view-redrive-busy').textContent = state.busy ? 'A redrive of this DLQ is ' + state.busy.Status.toLowerCase() + ': a new one can start once it has ended.' : '';
    gate();
  }

  $('view-redrive-form').addEventListener('input', gate);
  $('view-redrive-form').addEventListener('change', gate);

  $('view-dry-run').addEventListener('click', async () => {
    clearError();
    let request;
    try {
      request = readRequest();
    } catch (error) {
      showError('Could not dry-run the redrive', error);
      return;
    }
    const name = state.dlq.QueueName;
    $('view-dry-run').disabled = true;
    $('view-dry-run-result').textContent = 'Dry run of ' + name + '…';
    try {
      const answer = await api('POST', 'StartMessageMoveTask', { ...request, DryRun: true });
      state.dryRun = { key: dryRunKey(request), answer };
      delete $('view-dry-run-result').dataset.stale;
      $('view-dry-run-result').textContent = visible('Dry run at ' + new Date().toLocaleTimeString() + ': of ' + answer.Sampled + ' messages sampled, ' + answer.Matched + ' match' +
        (answer.Unroutable ? ' (' + answer.Unroutable + ' of them with nowhere to go: they would stay)' : '') +
        (answer.Truncated ? '; the sample was cut short by the time limit' : '') +
        (request.MaxMessages !== undefined ? '; a start moves at most ' + request.MaxMessages + ' of them' : '') + '. Nothing was moved; every message is visible again.');
    } catch (error) {
      state.dryRun = undefined;
      $('view-dry-run-result').textContent = '';
      showError('Could not dry-run the redrive of ' + name, error);
    }
    $('view-dry-run').disabled = false;
    gate();
  });

  $('view-redrive-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    const why = $('view-why').value.trim();
    if (!why) {
      $('view-why').setAttribute('aria-invalid', 'true');
      $('view-why').focus();
      return;
    }
    $('view-why').removeAttribute('aria-invalid');
    let request;
    try {
      request = readRequest();
    } catch (error) {
      showError('Could not start the redrive', error);
      return;
    }
    const { confirmStart, whereAndHowFast, messages, queueName } = window.redriveDashboard;
    const dlq = state.dlq;
    const where = whereAndHowFast(request.DestinationArn, request.MaxNumberOfMessagesPerSecond);
    let question;
    if (isSelective(request)) {
      // the button is off until then; a second guard, as the API refuses nothing a dry run would
      if (!state.dryRun || state.dryRun.key !== dryRunKey(request)) return;
      const { answer } = state.dryRun;
      question = 'Move the messages of ' + dlq.QueueName + inAccount(dlq.QueueArn) + ' that match ' + describeSelection(request) + ' ' + where + '? ' +
        'The dry run matched ' + answer.Matched + ' of the ' + answer.Sampled + ' messages it sampled' + (answer.Unroutable ? ', ' + answer.Unroutable + ' of them with nowhere to go' : '') +
        (request.MaxMessages !== undefined ? '; at most ' + request.MaxMessages + ' move' : '') + '.';
    } else {
      question = 'Move ' + messages(dlq.ApproximateNumberOfMessages) + ' out of ' + queueName(dlq.QueueArn) + inAccount(dlq.QueueArn) + ' ' + where + '?';
    }
    confirmStart({ ...request, Reason: why }, question, () => {
      $('view-redrive-form').reset();
      state.dryRun = undefined;
      $('view-dry-run-result').textContent = '';
    });
  });

  Object.assign(window.redriveDashboard, { openRedrive, redriveBusy, readSelection });
})();
