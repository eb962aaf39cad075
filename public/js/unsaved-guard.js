/*
 * Nothing typed on a staff page is lost by leaving it: a form marked data-unsaved-guard that was
 * changed and not submitted makes the browser ask before the page goes (a link, a reload, closing
 * the tab), as does one the server sent back with errors (data-unsaved-returned). Submitting that
 * form, or putting every field back as it was, takes the question away.
 */
(function () {
  'use strict';

  var forms = Array.prototype.slice.call(document.querySelectorAll('form[data-unsaved-guard]'));
  if (!forms.length) return;

  function snapshot(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }
  // A form the server sent back with errors holds what was typed and is not saved yet.
  var saved = forms.map(function (form) {
    return form.hasAttribute('data-unsaved-returned') ? null : snapshot(form);
  });
  var leaving = null;

  forms.forEach(function (form) {
    form.addEventListener('submit', function () {
      leaving = form;
    });
  });

  window.addEventListener('beforeunload', function (event) {
    var unsaved = forms.some(function (form, i) {
      // The form being submitted carries its own changes (and a button with formaction carries them too).
      return form !== leaving && snapshot(form) !== saved[i];
    });
    leaving = null;
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = '';
  });
})();
