/*
 * Live thread: joins the post's room over Socket.IO and puts new replies in
 * place as they are written elsewhere, nested under the right comment,
 * numbered, briefly highlighted. Replies out of sight are counted in a
 * "N new comments" bar. After a lost connection the page asks for what it
 * missed (by the highest comment number it has) and shows nothing twice.
 * Without JavaScript the page is complete; this only adds to it.
 */
(function () {
  'use strict';

  var section = document.getElementById('comments');
  if (!section || typeof io !== 'function') return;
  var postId = section.getAttribute('data-post-id');
  var order = section.getAttribute('data-order');
  var onFirstPage = section.getAttribute('data-page') === '1';
  var onLastPage = section.getAttribute('data-last-page') === 'true';
  var root = section.querySelector('[data-thread-root]');
  var countEl = section.querySelector('[data-comment-count]');
  var readersEl = section.querySelector('[data-readers]');
  var bar = section.querySelector('[data-new-comments]');
  var barButton = section.querySelector('[data-new-comments-button]');
  var unseen = [];

  function highestNumber() {
    var max = 0;
    section.querySelectorAll('li.comment[data-number]').forEach(function (li) {
      max = Math.max(max, Number(li.getAttribute('data-number')) || 0);
    });
    return Math.max(max, Number(section.getAttribute('data-last-seen')) || 0);
  }

  var bylineCount = document.querySelector('[data-comment-count-byline]');
  function setTotal(total) {
    if (typeof total !== 'number') return;
    var text = total.toLocaleString('en-US') + (total === 1 ? ' comment' : ' comments');
    countEl.setAttribute('data-comment-count', String(total));
    countEl.textContent = text;
    if (bylineCount) bylineCount.textContent = text;
  }

  // Said politely to screen readers: who wrote and where it landed, at most every few seconds,
  // so a busy thread is summed up ("4 new comments, the latest from Ana") instead of read out.
  var announcer = section.querySelector('[data-live-announce]');
  var heard = [];
  var announceTimer = null;
  var lastAnnounced = 0;
  var ANNOUNCE_EVERY_MS = 3000;
  function announce(li, parentId) {
    if (!announcer) return;
    var author = li.querySelector('.comment__author');
    var name = author ? author.textContent.trim() : 'someone';
    var parent = parentId ? document.getElementById('comment-' + parentId) : null;
    heard.push(
      parent
        ? 'New reply from ' + name + ' to comment #' + parent.getAttribute('data-number')
        : 'New comment from ' + name,
    );
    if (announceTimer) return;
    var wait = Math.max(0, lastAnnounced + ANNOUNCE_EVERY_MS - Date.now());
    announceTimer = setTimeout(function () {
      announceTimer = null;
      lastAnnounced = Date.now();
      var text =
        heard.length === 1
          ? heard[0] + '.'
          : heard.length +
            ' new comments, the latest: ' +
            heard[heard.length - 1].charAt(0).toLowerCase() +
            heard[heard.length - 1].slice(1) +
            '.';
      heard = [];
      announcer.textContent = text;
    }, wait);
  }

  function fromHtml(html) {
    var template = document.createElement('template');
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function inView(el) {
    var rect = el.getBoundingClientRect();
    return rect.bottom > 0 && rect.top < window.innerHeight;
  }

  function updateBar() {
    unseen = unseen.filter(function (el) {
      return document.body.contains(el) && !inView(el);
    });
    if (unseen.length === 0) {
      bar.hidden = true;
      return;
    }
    barButton.textContent = unseen.length === 1 ? '1 new comment' : unseen.length + ' new comments';
    bar.hidden = false;
  }

  barButton.addEventListener('click', function () {
    var target = unseen[0];
    if (target) {
      target.scrollIntoView({ block: 'center' });
      var link = target.querySelector('.comment__number');
      if (link) link.focus({ preventScroll: true });
    }
    setTimeout(updateBar, 300);
  });
  window.addEventListener(
    'scroll',
    function () {
      if (!bar.hidden) updateBar();
    },
    { passive: true },
  );

  // Track the newest number even for comments that live on another page of the thread.
  function remember(number) {
    if (number > (Number(section.getAttribute('data-last-seen')) || 0)) {
      section.setAttribute('data-last-seen', String(number));
    }
  }

  function insert(comment) {
    remember(comment.number);
    // The reply someone was writing has arrived: "Someone is replying…" goes with it.
    var typing = document.getElementById('typing-' + (comment.parentId || 'top'));
    if (typing) typing.remove();
    // Already on the page (its author saw it awaiting moderation): show it as approved.
    if (document.getElementById('comment-' + comment.id)) return replace(comment);
    var li = fromHtml(comment.html);
    if (!li) return;
    if (comment.parentId) {
      var parent = document.getElementById('comment-' + comment.parentId);
      if (!parent) return;
      var replies = parent.querySelector(':scope > ol.thread--replies');
      if (!replies) {
        replies = document.createElement('ol');
        replies.className = 'thread thread--replies';
        parent.appendChild(replies);
      }
      replies.appendChild(li);
    } else if (order === 'newest' && onFirstPage) {
      root.insertBefore(li, root.firstChild);
    } else if (order !== 'newest' && onLastPage) {
      root.appendChild(li);
    } else {
      return;
    }
    li.classList.add('comment--new');
    announce(li, comment.parentId);
    setTimeout(function () {
      li.classList.remove('comment--new');
    }, 4000);
    var empty = section.querySelector('.comments__empty');
    if (empty) empty.remove();
    if (!inView(li)) unseen.push(li);
    updateBar();
  }

  function replace(comment) {
    var existing = document.getElementById('comment-' + comment.id);
    if (!existing) return insert(comment);
    var fresh = fromHtml(comment.html);
    var card = existing.querySelector(':scope > article');
    var freshCard = fresh && fresh.querySelector(':scope > article');
    if (window.adviceLikes) window.adviceLikes.keepPressed(card, freshCard);
    if (freshCard && card) card.replaceWith(freshCard);
    existing.className = fresh.className;
  }

  /** Comments closed while the page is open: the form gives way to the notice (and the moderator's note). */
  function close(text) {
    var respond = document.getElementById('respond');
    if (respond && !section.querySelector('.comments-closed')) {
      var note = document.createElement('p');
      note.className = 'comments-closed';
      note.setAttribute('role', 'status');
      note.textContent = 'Comments are closed.';
      // A reader in the middle of a comment keeps it on the page to copy (comment-box.js).
      var box = respond.querySelector('textarea[name="body"]');
      if (box && box.value.trim()) {
        respond.before(note);
        document.dispatchEvent(new CustomEvent('comments:closed'));
      } else {
        respond.replaceWith(note);
      }
      if (text) {
        var said = document.createElement('p');
        said.className = 'comments-closed__note';
        said.textContent = text;
        note.before(said);
      }
    }
    section.querySelectorAll('[data-leave-comment]').forEach(function (el) {
      el.remove();
    });
    section.querySelectorAll('.comment__actions').forEach(function (el) {
      el.remove();
    });
  }

  var socket = io({ transports: ['websocket', 'polling'] });
  window.adviceSocket = socket;
  // The server drops an account's sockets when its role or sessions change: come back as what
  // this browser's session is now (Socket.IO does not reconnect by itself after that).
  socket.on('disconnect', function (reason) {
    if (reason === 'io server disconnect') socket.connect();
  });

  socket.on('connect', function () {
    socket.emit('thread:join', { postId: postId, lastSeen: highestNumber() }, function (reply) {
      if (!reply || !reply.ok) return;
      reply.missed.forEach(insert);
      setTotal(reply.total);
      if (!reply.commentsOpen) close();
    });
  });

  socket.on('comment:created', function (event) {
    insert(event.comment);
    setTotal(event.total);
  });
  // A busy thread's new comments, gathered by the server into one message.
  socket.on('comments:created', function (event) {
    event.comments.forEach(insert);
    setTotal(event.total);
  });
  socket.on('comment:updated', function (event) {
    replace(event.comment);
    setTotal(event.total);
  });
  socket.on('comment:likes', function (event) {
    if (window.adviceLikes) window.adviceLikes.show(event.id, event.likes);
  });
  socket.on('comment:hidden', function (event) {
    var gone = document.getElementById('comment-' + event.id);
    if (gone && !gone.querySelector('li.comment')) gone.remove();
    setTotal(event.total);
  });
  socket.on('post:status', function (event) {
    if (!event.commentsOpen) close(event.note);
  });
  socket.on('presence', function (event) {
    if (!readersEl || typeof event.readers !== 'number') return;
    // The count includes this reader: alone, nothing is said.
    var others = event.readers - 1;
    readersEl.hidden = others < 1;
    readersEl.textContent =
      others < 1
        ? ''
        : 'You and ' + others + ' other reader' + (others === 1 ? '' : 's') + ' are reading this now';
  });

  // "Someone is replying…" under the comment being answered, for a few seconds.
  var typingTimers = {};
  socket.on('typing', function (event) {
    var key = event.parentId || 'top';
    var host = event.parentId ? document.getElementById('comment-' + event.parentId) : null;
    var anchor = host ? host.querySelector(':scope > article') : root;
    if (!anchor) return;
    var note = document.getElementById('typing-' + key);
    if (!note) {
      note = document.createElement('p');
      note.id = 'typing-' + key;
      note.className = 'typing-note';
      note.textContent = 'Someone is replying…';
      anchor.insertAdjacentElement('afterend', note);
    }
    clearTimeout(typingTimers[key]);
    typingTimers[key] = setTimeout(function () {
      note.remove();
    }, 5000);
  });

  var body = document.querySelector('#respond textarea[name="body"]');
  var lastTyping = 0;
  if (body) {
    body.addEventListener('input', function () {
      var now = Date.now();
      if (now - lastTyping < 3000) return;
      lastTyping = now;
      var parent = document.querySelector('#respond input[name="parent"]');
      socket.emit('typing', { parentId: parent && parent.value ? parent.value : null });
    });
  }
})();
