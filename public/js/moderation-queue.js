/*
 * A moderation queue as a work surface: each card's buttons act in place (the card goes and the
 * next one takes focus, without a reload), and by keyboard j and k move between cards, a approves,
 * d dismisses reports, r removes (with the reason chosen on the card), o opens the comment in its
 * thread, x ticks it for the bulk action. Without this file every button is a plain form.
 *
 * The first page of the held queue is live: when the moderators' counts change (a comment held,
 * or handled by someone else), it asks the server what changed since its newest item, adds the
 * new held comments at the top and drops the ones another moderator handled.
 */
(function () {
  'use strict';

  var list = document.querySelector('.queue-items');
  var form = document.querySelector('form#bulk-form');
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

  /** What each card action does to its card: the first four take it out of this queue. */
  var LEAVES = { approve: true, dismiss: true, remove: true, restore: true };

  function result(item, text) {
    var line = item.querySelector('[data-card-result]');
    if (line) {
      line.textContent = text;
      line.hidden = !text;
    }
  }

  /**
   * A card's action, in place: the form is posted as it is (the same request as without this
   * script, asking for JSON), the card leaves the queue when the action takes it out, and the next
   * card takes focus. A refusal is shown on the card, which stays.
   */
  function submit(form) {
    var item = form.closest('li.queue-item');
    if (item.getAttribute('aria-busy')) return; // one action at a time on a card
    var action = form.getAttribute('data-card-action');
    var all = items();
    var next = all[all.indexOf(item) + 1] || all[all.indexOf(item) - 1];
    var buttons = form.querySelectorAll('button');
    item.setAttribute('aria-busy', 'true');
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    fetch(form.action, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'x-csrf-token': csrf,
      },
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            if (!response.ok) {
              throw new Error(
                (body.error && body.error.message) || 'That did not work (' + response.status + ').',
              );
            }
            return body;
          });
      })
      .then(function (body) {
        item.removeAttribute('aria-busy');
        if (!LEAVES[action]) {
          var details = form.closest('details');
          if (details) details.open = false;
          result(item, body.message);
          say(body.message);
          return;
        }
        var focused = item.contains(document.activeElement);
        item.remove();
        var left = items().length;
        showing();
        say(body.message + ' ' + left + (left === 1 ? ' item' : ' items') + ' left on this page.');
        if (left === 0) {
          // The next page of the queue, when there is one; else the queue is done.
          if (document.querySelector('.pagination a[rel="next"]')) window.location.reload();
          return;
        }
        // The neighbour may have left meanwhile (handled by another moderator).
        if (focused || current() === null) focus(next && next.isConnected ? next : items()[0]);
      })
      .catch(function (err) {
        item.removeAttribute('aria-busy');
        buttons.forEach(function (b) {
          b.disabled = false;
        });
        result(item, err.message);
        say(err.message);
      });
  }

  list.addEventListener('submit', function (event) {
    var form = event.target.closest && event.target.closest('form[data-card-action]');
    if (!form) return;
    event.preventDefault();
    submit(form);
  });

  /** A key's action on the focused card, through the card's own form; says so when it has none. */
  function press(item, action, name) {
    var form = item.querySelector('form[data-card-action="' + action + '"]');
    if (form) submit(form);
    else say(name + ' does not apply to #' + item.getAttribute('data-number') + '.');
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
    if (event.target.closest && event.target.closest('input:not([type=checkbox]), textarea, select, summary'))
      return;
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
        if (item) press(item, 'approve', 'Approve');
        break;
      case 'd':
        if (item) press(item, 'dismiss', 'Dismiss reports');
        break;
      case 'r':
        if (item) press(item, 'remove', 'Remove');
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
