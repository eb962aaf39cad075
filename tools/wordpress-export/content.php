<?php
// Run by make-export.sh inside a fresh WordPress copy: installs the site, writes an advice column's
// content through WordPress's own functions, and exports it with export_wp() (Tools → Export).
// Deterministic: fixed dates and a seeded generator, so a second run writes the same items.

$out = $argv[1];
$_SERVER['HTTP_HOST'] = 'askthecolumnist.example';
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
require_once ABSPATH . 'wp-admin/includes/post.php';

wp_install('Ask the Columnist', 'marisol', 'marisol@askthecolumnist.example', true, '', 'not-a-real-password-1');
update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
update_option('thread_comments', 1);
update_option('thread_comments_depth', 10);
update_option('blogdescription', 'Workplace advice, answered.');
wp_set_current_user(1);
kses_remove_filters();
wp_update_user(['ID' => 1, 'display_name' => 'Marisol Vance', 'first_name' => 'Marisol', 'last_name' => 'Vance']);

function user($login, $name, $role) {
    return wp_insert_user([
        'user_login' => $login, 'user_pass' => 'not-a-real-password-' . $login, 'display_name' => $name,
        'user_email' => "$login@askthecolumnist.example", 'role' => $role,
    ]);
}
$dev = user('dev', 'Dev Okafor', 'editor');
$priya = user('priya', 'Priya Natarajan', 'subscriber');
$sam = user('sam', 'Sam', 'subscriber');

$coworkers = wp_insert_term('Coworkers', 'category')['term_id'];
$bosses = wp_insert_term('Bosses & Managers', 'category', ['slug' => 'bosses'])['term_id'];
$hunting = wp_insert_term('Job Hunting', 'category')['term_id'];

function post($fields) {
    $id = wp_insert_post(array_merge(['post_author' => 1, 'post_status' => 'publish', 'comment_status' => 'open', 'ping_status' => 'open'], $fields), true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    return $id;
}

// 1. A block-editor post with a long question for a title, the letter in a quote block, a more
// block, an image, an embed and a list; hundreds of comments, deep threads, every state.
$block = <<<'HTML'
<!-- wp:paragraph -->
<p><em>A reader writes:</em></p>
<!-- /wp:paragraph -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>My coworker takes credit for my work in every meeting. Last week she presented my spreadsheet &mdash; the one with the pivot tables I built over a weekend &mdash; as "something I put together." Our manager praised her for it.</p>
<!-- /wp:paragraph -->

<!-- wp:paragraph -->
<p>How do I handle this without looking petty?</p>
<!-- /wp:paragraph --></blockquote>
<!-- /wp:quote -->

<!-- wp:more -->
<!--more-->
<!-- /wp:more -->

<!-- wp:paragraph -->
<p>You're not petty for wanting people to know what you did. Start by making your work visible <strong>before</strong> the meeting.</p>
<!-- /wp:paragraph -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>Send the spreadsheet to your manager yourself, with a short note.</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Speak up in the meeting: "Happy to walk through the pivot tables I built."</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:image {"id":41,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="https://askthecolumnist.example/wp-content/uploads/2023/03/spreadsheet.png" alt="A spreadsheet full of pivot tables" class="wp-image-41"/><figcaption class="wp-element-caption">The spreadsheet in question.</figcaption></figure>
<!-- /wp:image -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ","type":"video","providerNameSlug":"youtube","responsive":true} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=aqz-KE-bpKQ
</div></figure>
<!-- /wp:embed -->

<!-- wp:heading -->
<h2>Update</h2>
<!-- /wp:heading -->

<!-- wp:paragraph -->
<p>The letter writer sent an update: it worked. See the <a href="https://askthecolumnist.example/2023/01/09/my-boss-texts-me-at-night/">earlier letter</a> too.</p>
<!-- /wp:paragraph -->
HTML;
$long = 'My coworker keeps taking credit for the spreadsheet I built over a weekend, presents it as her own in every team meeting, our manager praises her for it, and when I brought it up she said that "we are a team" — how do I handle this without looking petty or ruining the team?';
$p1 = post(['post_title' => $long, 'post_name' => 'coworker-takes-credit', 'post_content' => $block, 'post_date' => '2023-03-14 09:30:00', 'post_category' => [$coworkers], 'tags_input' => ['credit', 'meetings', 'spreadsheets']]);

// 2. A classic-editor post: the letter in a blockquote, a caption shortcode, a gallery, more tag.
$classic = "<em>A reader writes:</em>\n\n<blockquote>My boss texts me at 11 pm about things that can wait until morning. If I don't answer, he asks the next day why I \"went dark.\"\n\nIs this normal?</blockquote>\n<!--more-->\nIt's common. It isn't normal, and it isn't something you have to accept.\n\n[caption id=\"attachment_42\" align=\"aligncenter\" width=\"300\"]<img class=\"size-medium wp-image-42\" src=\"https://askthecolumnist.example/wp-content/uploads/2023/01/phone.jpg\" alt=\"A phone at night\" width=\"300\" height=\"200\" /> A phone, glowing at 11 pm.[/caption]\n\nTalk to him once, in daytime, about what he expects.\n\n[gallery ids=\"42,43\"]\n\nAnd turn on Do Not Disturb. [contact-form-7 id=\"12\" title=\"Ask\"]";
$p2 = post(['post_title' => 'My boss texts me at night', 'post_name' => 'my-boss-texts-me-at-night', 'post_content' => $classic, 'post_date' => '2023-01-09 08:00:00', 'post_category' => [$bosses], 'tags_input' => ['boundaries', 'texting']]);
stick_post($p2);

// 3. A post by the second author, with an entity-laden title, comments closed.
$p3 = post(['post_author' => $dev, 'post_title' => 'Q&amp;A: my boss&#8217;s &#8220;open door&#8221; policy is a trap', 'post_name' => 'open-door-policy', 'post_content' => "<p>A reader writes:</p>\n<blockquote><p>He says his door is always open. It is not.</p></blockquote>\n<p>Doors are metaphors. Ask for a regular one-on-one instead.</p>", 'post_date' => '2022-11-02 12:00:00', 'comment_status' => 'closed', 'post_category' => [$bosses]]);

// 4–9. Statuses that must not be published, a page, an attachment, and a trashed post.
post(['post_title' => 'Private: notes for the next column', 'post_status' => 'private', 'post_content' => 'Only for me.', 'post_date' => '2023-02-01 10:00:00']);
post(['post_title' => 'Members only: salary survey results', 'post_password' => 'letmein', 'post_content' => 'The numbers.', 'post_date' => '2023-02-02 10:00:00']);
post(['post_title' => 'Scheduled: interviewing while employed', 'post_status' => 'future', 'post_content' => "<p>A reader writes:</p>\n<blockquote><p>How do I take calls at work?</p></blockquote>\n<p>From your car.</p>", 'post_date' => '2031-05-01 09:00:00', 'post_category' => [$hunting]]);
post(['post_title' => 'Draft: the cover letter question', 'post_status' => 'draft', 'post_content' => 'Half written.', 'post_date' => '2023-02-03 10:00:00']);
post(['post_title' => 'Pending review: a guest column', 'post_status' => 'pending', 'post_author' => $dev, 'post_content' => 'For review.', 'post_date' => '2023-02-04 10:00:00']);
$trashed = post(['post_title' => 'An old post I deleted', 'post_content' => 'Gone.', 'post_date' => '2022-01-01 10:00:00']);
wp_trash_post($trashed);
post(['post_type' => 'page', 'post_title' => 'About the column', 'post_name' => 'about', 'post_content' => 'I answer letters.', 'post_date' => '2020-01-01 10:00:00']);
wp_insert_attachment(['post_title' => 'spreadsheet', 'post_mime_type' => 'image/png', 'guid' => 'https://askthecolumnist.example/wp-content/uploads/2023/03/spreadsheet.png', 'post_status' => 'inherit', 'post_date' => '2023-03-14 09:00:00'], false, $p1);

// Comments: deterministic names, dates and threads.
mt_srand(20230314);
$names = ['Jamie', 'Alex R.', 'Nonny Mouse', 'Ferret Lover', 'Cat Lady', 'Project Manager', 'Long-time reader', 'Zoë', 'Łukasz', '山田', 'Anon for this'];
$bodies = [
    "This happened to me too. I started sending recap emails after every meeting.",
    "Petty? No. <strong>Visible</strong>, yes.",
    "I'd talk to the coworker first &amp; see what she says.",
    "Recap emails are the answer. &lt;3",
    "<a href=\"https://example.com/credit\">This article</a> helped me.",
    "Your manager should be noticing this.\n\nSecond paragraph: it happens everywhere.",
    "<script>alert('hi')</script>Please don't run that.",
    "“Smart quotes” and an emoji 🎉 and a non-breaking&nbsp;space.",
    "I disagree with everyone above.",
    "Same. Exactly the same.",
];
function comment($post, $fields) {
    return wp_insert_comment(array_merge(['comment_post_ID' => $post, 'comment_approved' => 1, 'comment_type' => 'comment', 'comment_author_IP' => '192.0.2.' . mt_rand(1, 254), 'comment_agent' => 'Mozilla/5.0'], $fields));
}
function stamp($base, $minutes) {
    return gmdate('Y-m-d H:i:s', strtotime($base . ' UTC') + $minutes * 60);
}
$states = array_merge(array_fill(0, 36, 1), [0, 0, 'spam', 'trash']);
foreach ([[$p1, '2023-03-14 09:30:00', 360], [$p2, '2023-01-09 08:00:00', 120], [$p3, '2022-11-02 12:00:00', 12]] as [$post, $start, $count]) {
    $ids = [];
    for ($i = 0; $i < $count; $i++) {
        $parent = ($i > 3 && mt_rand(0, 9) < 6) ? $ids[array_rand($ids)] : 0;
        $name = $names[mt_rand(0, count($names) - 1)];
        $fields = [
            'comment_author' => $name,
            'comment_author_email' => strtolower(preg_replace('/[^a-z]/i', '', $name) ?: 'reader') . '@example.org',
            'comment_author_url' => mt_rand(0, 4) === 0 ? 'https://example.org/' : '',
            'comment_content' => $bodies[mt_rand(0, count($bodies) - 1)],
            'comment_date' => stamp($start, 5 + $i * 7), 'comment_date_gmt' => stamp($start, 5 + $i * 7),
            'comment_parent' => $parent,
            'comment_approved' => $states[mt_rand(0, count($states) - 1)],
        ];
        if ($i % 25 === 7) $fields = array_merge($fields, ['user_id' => $GLOBALS['priya'], 'comment_author' => 'Priya Natarajan', 'comment_author_email' => 'priya@askthecolumnist.example']);
        if ($i % 40 === 11) $fields = array_merge($fields, ['user_id' => $GLOBALS['sam'], 'comment_author' => 'Sam', 'comment_author_email' => 'sam@askthecolumnist.example']);
        if ($i % 30 === 15) $fields = array_merge($fields, ['user_id' => 1, 'comment_author' => 'Marisol Vance', 'comment_author_email' => 'marisol@askthecolumnist.example', 'comment_approved' => 1, 'comment_content' => 'Columnist here: thank you all. Recap emails are a good idea.']);
        $id = comment($post, $fields);
        if ($fields['comment_approved'] === 1) $ids[] = $id;
    }
    // One chain ten deep.
    $parent = 0;
    for ($d = 0; $d < 10; $d++) {
        $parent = comment($post, ['comment_author' => $d % 2 ? 'Alex R.' : 'Jamie', 'comment_author_email' => $d % 2 ? 'alexr@example.org' : 'jamie@example.org', 'comment_content' => "Reply at depth " . ($d + 1) . '.', 'comment_date' => stamp($start, 5000 + $d), 'comment_date_gmt' => stamp($start, 5000 + $d), 'comment_parent' => $parent]);
    }
}
comment($p1, ['comment_type' => 'pingback', 'comment_author' => 'Another Blog &raquo; Credit thieves', 'comment_author_url' => 'https://another.example/credit-thieves/', 'comment_content' => '[&#8230;] as the columnist said [&#8230;]', 'comment_date' => '2023-03-15 10:00:00', 'comment_date_gmt' => '2023-03-15 10:00:00']);
comment($p2, ['comment_type' => 'trackback', 'comment_author' => 'Weekly links', 'comment_author_url' => 'https://links.example/week-2/', 'comment_content' => 'Good reading this week.', 'comment_date' => '2023-01-10 10:00:00', 'comment_date_gmt' => '2023-01-10 10:00:00']);

ob_start();
export_wp(['content' => 'all']);
file_put_contents($out, ob_get_clean());
