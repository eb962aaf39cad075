/** The Like button as comments/like-button.hbs renders it for everyone: not pressed. */
const UNPRESSED =
  /formaction="\/comments\/([0-9a-f]{24})\/like" name="like" value="on" aria-pressed="false"/g;

/**
 * A thread's shared HTML with one reader's liked comments shown pressed (and their buttons set to
 * unlike): one pass over the string, so the HTML itself can be rendered once for every reader.
 */
export function pressLiked(html: string, liked: readonly string[]): string {
  if (liked.length === 0) return html;
  const ids = new Set(liked);
  return html.replace(UNPRESSED, (button, id: string) =>
    ids.has(id) ? `formaction="/comments/${id}/like" name="like" value="off" aria-pressed="true"` : button,
  );
}
