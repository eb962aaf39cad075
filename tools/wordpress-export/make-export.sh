#!/usr/bin/env bash
# Makes test/fixtures/import/wordpress-real.xml with a real WordPress and its own exporter.
#
#   sudo apt-get install wordpress php-cli php-mysql mariadb-server   (Debian 12: WordPress 6.1)
#   tools/wordpress-export/make-export.sh [OUT.xml]
#
# It starts a throwaway MariaDB in a temporary directory (nothing system-wide is configured), copies
# WordPress there with its own wp-config.php, installs the site, writes the content of content.php
# through WordPress's own functions (wp_insert_post, wp_insert_comment, ...), and calls WordPress's
# export_wp(), the function behind Tools → Export. The output is committed as generated.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../test/fixtures/import/wordpress-real.xml}"
work="$(mktemp -d /tmp/wp-export.XXXXXX)"
trap 'kill "$(cat "$work/mariadb.pid" 2>/dev/null)" 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT

echo "[wp-export] starting MariaDB in $work"
mariadb-install-db --no-defaults --user=root --datadir="$work/data" --auth-root-authentication-method=normal >/dev/null
mariadbd --no-defaults --user=root --datadir="$work/data" --socket="$work/mysql.sock" --pid-file="$work/mariadb.pid" \
  --skip-networking --skip-grant-tables >"$work/mariadb.log" 2>&1 &
for _ in $(seq 1 50); do [ -S "$work/mysql.sock" ] && break; sleep 0.2; done
mariadb --no-defaults --socket="$work/mysql.sock" -e 'CREATE DATABASE wordpress CHARACTER SET utf8mb4'

echo "[wp-export] copying WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php)"
cp -rL /usr/share/wordpress "$work/site" 2>/dev/null || true
cat >"$work/site/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:$work/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', 'https://askthecolumnist.example');
define('WP_SITEURL', 'https://askthecolumnist.example');
define('WP_CONTENT_DIR', '$work/site/wp-content');
define('DISABLE_WP_CRON', true);
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', '$work/site/');
require_once ABSPATH . 'wp-settings.php';
PHP

echo "[wp-export] installing the site and writing its content"
(cd "$work/site" && php "$here/content.php" "$out")
echo "[wp-export] wrote $out ($(wc -c <"$out") bytes)"
