/*
 * A moderation queue by keyboard: j and k move between items, a approves, r rejects (each without
 * reloading: the item goes and the next one takes focus), o opens the comment in its thread, x
 * selects it for the bulk action. Without this file the queue works with its forms.
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
        if (next) focus(next);
        else if (left === 0) window.location.reload(); // the next page of the queue
      })
      .catch(function () {
        item.removeAttribute('aria-busy');
        say('That did not work; use the buttons, or reload the page.');
      });
  }

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
