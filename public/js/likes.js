/*
 * Like buttons: sent without a reload (the same form the button submits without JavaScript),
 * pressed as the server says, counts kept in step live (live.js calls adviceLikes.show), and in
 * the "most liked" order the page's top-level comments move to their new places. A guest's page
 * is the same for every guest, so a guest browser that has liked here asks which buttons are its.
 */
(function () {
  'use strict';

  var section = document.getElementById('comments');
  var form = document.getElementById('like-form');
  if (!section || !form) return;
  var root = section.querySelector('[data-thread-root]');
  var signedIn = document.body.hasAttribute('data-signed-in');
  var GUEST_FLAG = 'advice:liker';

  function announce(text) {
    var el = section.querySelector('[data-live-announce]');
    if (el) el.textContent = text;
  }

  function countHtml(likes) {
    if (!likes) return '';
    return (
      ' ' +
      likes.toLocaleString('en-US') +
      '<span class="visually-hidden"> ' +
      (likes === 1 ? 'like' : 'likes') +
      '</span>'
    );
  }

  function setPressed(button, pressed) {
    button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
    button.value = pressed ? 'off' : 'on';
  }

  /** Shows a comment's count (and, when given, this reader's state), then its place in the Top order. */
  function show(id, likes, pressed) {
    var li = document.getElementById('comment-' + id);
    if (!li) return;
    var button = li.querySelector(':scope > article .like-button');
    if (button) {
      var count = button.querySelector('.like-count');
      count.setAttribute('data-likes', String(likes));
      count.innerHTML = countHtml(likes);
      if (typeof pressed === 'boolean') setPressed(button, pressed);
    }
    var total = li.querySelector(':scope > article .like-total');
    if (total)
      total.lastChild.textContent = likes.toLocaleString('en-US') + (likes === 1 ? ' like' : ' likes');
    if (section.getAttribute('data-order') === 'top' && li.parentElement === root) place(li);
  }

  function likesOf(li) {
    var count = li.querySelector(':scope > article [data-likes]');
    return count ? Number(count.getAttribute('data-likes')) || 0 : 0;
  }

  /** Most liked first, equal likes oldest first: the server's order, kept as counts change. */
  function place(li) {
    var likes = likesOf(li);
    var number = Number(li.getAttribute('data-number'));
    var before = null;
    var items = root.querySelectorAll(':scope > li.comment');
    for (var i = 0; i < items.length; i += 1) {
      var other = items[i];
      if (other === li) continue;
      var otherLikes = likesOf(other);
      if (
        otherLikes < likes ||
        (otherLikes === likes && Number(other.getAttribute('data-number')) > number)
      ) {
        before = other;
        break;
      }
    }
    if (before === li.nextElementSibling && before !== null) return;
    if (!before && li === root.lastElementChild) return;
    // Keep what the reader is looking at where it is while a comment moves above it.
    var anchor =
      document.activeElement && root.contains(document.activeElement) ? document.activeElement : null;
    root.insertBefore(li, before);
    if (anchor && anchor !== document.activeElement) anchor.focus({ preventScroll: true });
  }

  window.adviceLikes = {
    show: show,
    /** A comment re-rendered live keeps this reader's pressed state. */
    keepPressed: function (oldCard, newCard) {
      var was = oldCard && oldCard.querySelector('.like-button[aria-pressed="true"]');
      var now = newCard && newCard.querySelector('.like-button');
      if (was && now) setPressed(now, true);
    },
  };

  var token = form.querySelector('input[name="_csrf"]').value;
  section.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.like-button');
    if (!button || button.disabled) return;
    event.preventDefault();
    var on = button.value !== 'off';
    button.disabled = true;
    fetch(button.getAttribute('formaction'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-CSRF-Token': token,
      },
      body: 'like=' + (on ? 'on' : 'off'),
    })
      .then(function (res) {
        return res.json().then(function (data) {
          return { ok: res.ok, data: data };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          alertNear(
            button,
            (result.data && result.data.error && result.data.error.message) ||
              'That did not work. Please try again.',
          );
          return;
        }
        if (!signedIn) {
          try {
            localStorage.setItem(GUEST_FLAG, '1');
          } catch {
            /* private mode: the page still works, it just will not remember */
          }
        }
        show(result.data.id, result.data.likes, result.data.liked);
        announce(result.data.message);
      })
      .catch(function () {
        alertNear(button, 'Could not reach the site. Check your connection and try again.');
      })
      .then(function () {
        button.disabled = false;
        button.focus({ preventScroll: true });
      });
  });

  /** A refusal said next to the button (signed out, own comment, closed), gone after a while. */
  function alertNear(button, text) {
    var note = button.parentElement.querySelector('.like-error');
    if (!note) {
      note = document.createElement('span');
      note.className = 'like-error';
      note.setAttribute('role', 'alert');
      button.insertAdjacentElement('afterend', note);
    }
    note.textContent = text;
    setTimeout(function () {
      note.remove();
    }, 8000);
  }

  // A guest browser that has liked something on this site: which of these are its likes.
  var flagged = false;
  try {
    flagged = localStorage.getItem(GUEST_FLAG) === '1';
  } catch {
    flagged = false;
  }
  if (!signedIn && flagged) {
    fetch('/posts/' + encodeURIComponent(section.getAttribute('data-post-slug')) + '/likes', {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (res) {
        return res.ok ? res.json() : { liked: [] };
      })
      .then(function (data) {
        data.liked.forEach(function (id) {
          var li = document.getElementById('comment-' + id);
          var button = li && li.querySelector(':scope > article .like-button');
          if (button) setPressed(button, true);
        });
      })
      .catch(function () {});
  }
})();
