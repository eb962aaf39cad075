/*
 * The header's count of unread replies (and, for moderators, the queues' counts), kept current
 * while the page is open: the server tells this account's sockets when a reply arrives or all are
 * read, and moderators' sockets when a comment is held, reported or handled. Uses the page's live connection
 * when it has one (post pages, the home page), else opens its own.
 */
(function () {
  'use strict';

  var badge = document.querySelector('[data-unread-replies]');
  if (!badge) return;
  var count = badge.querySelector('[data-unread-count]');
  // Moderators: the queues' counts in the Staff menu.
  var queueFlag = document.querySelector('[data-queue-total]');
  function show(selector, value) {
    document.querySelectorAll(selector).forEach(function (element) {
      element.textContent = String(value || 0);
    });
  }

  function listen() {
    var socket = window.adviceSocket || window.io({ transports: ['websocket', 'polling'] });
    window.adviceSocket = socket;
    // Dropped by the server when this account's role or sessions change: reconnect as what the
    // session is now, whichever script opened the socket (connecting twice is harmless).
    socket.on('disconnect', function (reason) {
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('replies:unread', function (event) {
      var n = Number(event && event.count) || 0;
      count.textContent = n >= 100 ? '99+' : String(n);
      badge.hidden = n === 0;
    });
    socket.on('queue:counts', function (event) {
      if (!queueFlag || !event) return;
      // The Staff menu and, on a queue page, its tabs.
      show('[data-queue-pending]', event.pending);
      show('[data-queue-reported]', event.reported);
      show('[data-queue-sum]', event.total);
      queueFlag.hidden = !(event.pending || event.reported);
      // An open queue page takes it from here (moderation-queue.js).
      document.dispatchEvent(new CustomEvent('advice:queue-counts', { detail: event }));
    });
  }

  if (window.io) {
    listen();
    return;
  }
  var script = document.createElement('script');
  script.src = '/socket.io/socket.io.js';
  script.onload = listen;
  document.head.appendChild(script);
})();
