/*
 * A moderation queue by keyboard: j and k move between items, a approves, r rejects (each without
 * reloading: the item goes and the next one takes focus), o opens the comment in its thread, x
 * selects it for the bulk action. Without this file the queue works with its forms.
 *
 * The first page of the held queue is live: when the moderators' counts change (a comment held,
 * or handled by someone else), it asks the server what changed since its newest item, adds the
 * new held comments at the top and drops the ones another moderator handled.
 */
(function () {
  'use strict';

  var list = document.querySelector('.queue-items');
  var form = document.querySelector('form.queue');
  if (!list || !form) return;
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var status = document.querySelector('[data-queue-status]');
  var keys = document.querySelector('[data-queue-keys]');
  if (keys) keys.hidden = false;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll('li.queue-item'));
  }
  function current() {
    return (
      document.activeElement &&
      document.activeElement.closest &&
      document.activeElement.closest('li.queue-item')
    );
  }
  function focus(item) {
    if (!item) return;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: 'nearest' });
  }
  function say(text) {
    if (status) status.textContent = text;
  }

  function act(item, action) {
    var body = new URLSearchParams({ _csrf: csrf, back: '/moderation' });
    var all = items();
    var next = all[all.indexOf(item) + 1] || all[all.indexOf(item) - 1];
    item.setAttribute('aria-busy', 'true');
    fetch('/moderation/comments/' + item.getAttribute('data-id') + '/' + action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
      body: body,
      redirect: 'manual',
      credentials: 'same-origin',
    })
      .then(function (response) {
        if (response.type !== 'opaqueredirect' && !response.ok) throw new Error(String(response.status));
        var number = item.getAttribute('data-number');
        item.remove();
        var left = items().length;
        say(
          (action === 'approve' ? 'Approved' : 'Rejected') +
            ' #' +
            number +
            '. ' +
            left +
            (left === 1 ? ' item' : ' items') +
            ' left on this page.',
        );
        // The neighbour may have left meanwhile (handled by another moderator).
        if (next && next.isConnected) focus(next);
        else if (left > 0) focus(items()[0]);
        else window.location.reload(); // the next page of the queue
      })
      .catch(function () {
        item.removeAttribute('aria-busy');
        say('That did not work; use the buttons, or reload the page.');
      });
  }

  var live = list.hasAttribute('data-live-queue');
  var empty = document.querySelector('[data-queue-empty]');
  var bulk = form.querySelector('.queue-bulk');
  var asking = false;
  var askAgain = false;
  // The newest comment this page has shown: only comments held after it are new here.
  var newest = items().length ? items()[0].getAttribute('data-id') : '';

  function showing() {
    var any = items().length > 0;
    if (empty) empty.hidden = any;
    if (bulk) bulk.hidden = !any;
    if (keys) keys.hidden = !any;
  }

  function refresh() {
    if (asking) {
      askAgain = true;
      return;
    }
    asking = true;
    var shown = items().map(function (item) {
      return item.getAttribute('data-id');
    });
    var query = new URLSearchParams({ shown: shown.join(',') });
    if (newest) query.set('after', newest);
    if (list.getAttribute('data-post')) query.set('post', list.getAttribute('data-post'));
    fetch('/moderation/held-since?' + query.toString(), {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (change) {
        var focused = current();
        (change.gone || []).forEach(function (id) {
          var item = list.querySelector('li.queue-item[data-id="' + id + '"]');
          if (!item || item.getAttribute('aria-busy')) return;
          if (item === focused) {
            var all = items();
            focused = all[all.indexOf(item) + 1] || all[all.indexOf(item) - 1];
          }
          item.remove();
        });
        var holder = document.createElement('template');
        holder.innerHTML = change.html || '';
        var added = Array.prototype.slice.call(holder.content.querySelectorAll('li.queue-item'));
        // Newest first: the batch goes above what is shown, in its order.
        var first = list.firstElementChild;
        added.forEach(function (item) {
          if (list.querySelector('li.queue-item[data-id="' + item.getAttribute('data-id') + '"]')) return;
          item.classList.add('queue-item--new');
          list.insertBefore(item, first);
        });
        if (added.length) newest = added[0].getAttribute('data-id');
        showing();
        if (focused && focused !== current()) focus(focused);
        if (added.length) {
          say(
            added.length +
              (added.length === 1 ? ' new held comment' : ' new held comments') +
              ' at the top of the queue.',
          );
        }
      })
      .catch(function () {
        say('New held comments could not be shown; reload the page to see them.');
      })
      .then(function () {
        asking = false;
        if (askAgain) {
          askAgain = false;
          refresh();
        }
      });
  }

  if (live) document.addEventListener('advice:queue-counts', refresh);

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest('input:not([type=checkbox]), textarea, select')) return;
    var all = items();
    if (!all.length) return;
    var item = current();
    var index = item ? all.indexOf(item) : -1;
    switch (event.key) {
      case 'j':
        focus(all[Math.min(index + 1, all.length - 1)]);
        break;
      case 'k':
        focus(all[Math.max(index - 1, 0)]);
        break;
      case 'a':
      case 'r':
        if (!item) return;
        act(item, event.key === 'a' ? 'approve' : 'reject');
        break;
      case 'o':
        if (!item) return;
        window.location.href = item.getAttribute('data-href');
        break;
      case 'x':
        if (!item) return;
        var box = item.querySelector('input[name="ids"]');
        box.checked = !box.checked;
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
