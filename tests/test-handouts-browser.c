/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-handouts-browser.c: the handouts (make handouts) in a real browser.
 *
 * Headless Chromium opens a harness page (written here, never part of a
 * handout) that loads each page of handouts/ in turn in a 1024 px wide
 * frame and writes its verdict into its own DOM, which Chromium prints
 * (--dump-dom). A page passes when every image loaded (naturalWidth > 0),
 * its style sheet loaded, nothing reaches beyond file: URLs (the pages must
 * read offline; the browser is also told that no host name resolves), and
 * nothing overflows horizontally (scrollWidth <= clientWidth). A broken
 * page made here goes through the same checks first and must fail both, so
 * the harness is seen to catch what it looks for. Then each page is saved as
 * a screenshot, tests/out/handouts-browser/NAME.png, to look at.
 *
 * Time is the browser's virtual time (--virtual-time-budget), which waits
 * for loading files rather than for the clock, so a slow or busy machine
 * changes nothing; `timeout` only ends a browser that hangs.
 *
 * Without Chromium the test is skipped (exit 77), saying why. NN_CHROMIUM
 * names another browser program. */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <unistd.h>
#include "nntest.h"

static char browser[PATH_MAX];       /* the Chromium program */
static char out[PATH_MAX + 64];      /* tests/out/handouts-browser */
static char handouts[PATH_MAX + 64]; /* handouts/ in the build tree */

/* The pages of handouts/: index.html and lectureN.html, sorted. */
static char *pages[64];
static size_t n_pages;

/* ===== Helpers ===== */

/* S quoted for the shell, in one of twelve buffers taken in turn: one
 * command may quote up to twelve words. */
static const char *
sh(const char *s)
{
  static char buf[12][2 * PATH_MAX];
  static unsigned next;
  char *q = buf[next++ % 12];
  size_t n = 0;
  q[n++] = '\'';
  for (; *s != '\0' && n + 5 < sizeof buf[0]; s++) {
    if (*s == '\'') {
      memcpy(q + n, "'\\''", 4);
      n += 4;
    } else {
      q[n++] = *s;
    }
  }
  q[n++] = '\'';
  q[n] = '\0';
  return q;
}

/* The file: URL of the absolute path P, percent-encoded, into BUF. */
static const char *
file_url(const char *p, char *buf, size_t size)
{
  size_t n = (size_t) snprintf(buf, size, "file://");
  for (; *p != '\0' && n + 4 < size; p++) {
    unsigned char c = (unsigned char) *p;
    if (isalnum(c) || strchr("/-_.~", c) != NULL)
      buf[n++] = (char) c;
    else
      n += (size_t) snprintf(buf + n, size - n, "%%%02X", c);
  }
  buf[n] = '\0';
  return buf;
}

/* The program NAME in PATH, into browser; 0 when absent. */
static int
find_in_path(const char *name)
{
  const char *path = getenv("PATH");
  for (const char *d = path ? path : "/usr/bin:/bin"; *d != '\0';) {
    size_t len = strcspn(d, ":");
    snprintf(browser, sizeof browser, "%.*s/%s", (int) len, d, name);
    if (len > 0 && access(browser, X_OK) == 0)
      return 1;
    d += len + (d[len] == ':');
  }
  return 0;
}

static int
by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Run the browser on URL with the options OPTIONS (shell words); its
 * output goes to OUT/NAME.out and its messages to OUT/NAME.log. */
static int
run_browser(const char *options, const char *url, const char *name)
{
  char log[PATH_MAX + 128], dump[PATH_MAX + 128], profile[PATH_MAX + 128];
  snprintf(dump, sizeof dump, "%s/%s.out", out, name);
  snprintf(log, sizeof log, "%s/%s.log", out, name);
  snprintf(profile, sizeof profile, "%s/profile", out);
  return nn_test_shell(
    "cd %s && HOME=%s XDG_CONFIG_HOME=%s XDG_CACHE_HOME=%s "
    "timeout 900 %s --headless=new --no-sandbox --disable-gpu --no-first-run "
    "--no-default-browser-check --disable-extensions --disable-sync "
    "--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir=%s %s %s > %s 2> %s",
    sh(out), sh(profile), sh(profile), sh(profile), sh(browser), sh(profile),
    options, sh(url), sh(dump), sh(log));
}

static char *
read_out(const char *name, const char *ext)
{
  char p[PATH_MAX + 128];
  snprintf(p, sizeof p, "%s/%s.%s", out, name, ext);
  return nn_test_read_file(p, NULL);
}

/* ===== The harness ===== */

/* What the harness does in each page; a line "[NAME] ok" or
 * "[NAME] FAIL: reasons" per page, then "[harness] done". */
static const char harness_script[] =
  "const verdict = document.getElementById('verdict');\n"
  "function say(s) { verdict.textContent += s + '\\n'; }\n"
  "function check(name, frame) {\n"
  "  const doc = frame.contentDocument, bad = [];\n"
  "  if (!doc) { say('[' + name + '] FAIL: the page cannot be read'); return; }\n"
  "  for (const img of doc.images)\n"
  "    if (!img.complete || img.naturalWidth === 0)\n"
  "      bad.push('image ' + img.getAttribute('src') + ' did not load');\n"
  "  for (const link of doc.querySelectorAll('link[rel=stylesheet]'))\n"
  "    if (!link.sheet) bad.push('style sheet ' + link.getAttribute('href') + ' did not load');\n"
  "  for (const el of doc.querySelectorAll('[src], link[href]')) {\n"
  "    const u = new URL(el.getAttribute(el.hasAttribute('src') ? 'src' : 'href'), doc.baseURI);\n"
  "    if (u.protocol !== 'file:' && u.protocol !== 'data:') bad.push('fetches ' + u.href);\n"
  "  }\n"
  "  const root = doc.documentElement;\n"
  "  if (root.scrollWidth > root.clientWidth)\n"
  "    bad.push('overflow: the page is ' + root.scrollWidth + ' px wide in a '\n"
  "             + root.clientWidth + ' px window');\n"
  "  say('[' + name + '] ' + (bad.length ? 'FAIL: ' + bad.join('; ') : 'ok'));\n"
  "}\n"
  "let next = 0;\n"
  "function load() {\n"
  "  if (next >= pages.length) { say('[harness] done'); return; }\n"
  "  const [name, url] = pages[next++];\n"
  "  const frame = document.createElement('iframe');\n"
  "  frame.style.cssText = 'width: 1024px; height: 768px; border: 0; display: block';\n"
  "  frame.onload = () => { check(name, frame); frame.remove(); load(); };\n"
  "  frame.src = url;\n"
  "  document.body.appendChild(frame);\n"
  "}\n"
  "load();\n";

/* A page with a missing image and a line too wide for 1024 px. */
static const char broken_page[] =
  "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
  "<img src=\"missing.svg\" alt=\"missing\">\n"
  "<div style=\"width: 2000px\">too wide</div>\n</body></html>\n";

static void
write_text(const char *p, const char *text)
{
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* Write the harness for the broken page and every handout; returns its
 * path. */
static const char *
write_harness(void)
{
  static char harness[PATH_MAX + 128];
  char p[PATH_MAX + 128], url[3 * PATH_MAX];
  snprintf(p, sizeof p, "%s/broken.html", out);
  write_text(p, broken_page);
  snprintf(harness, sizeof harness, "%s/harness.html", out);
  FILE *f = fopen(harness, "w");
  assert_non_null(f);
  fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
             "<title>handouts in a browser</title></head>\n<body>\n"
             "<pre id=\"verdict\"></pre>\n<script>\nconst pages = [\n");
  fprintf(f, "  ['broken.html', '%s'],\n", file_url(p, url, sizeof url));
  for (size_t i = 0; i < n_pages; i++) {
    snprintf(p, sizeof p, "%s/%s", handouts, pages[i]);
    fprintf(f, "  ['%s', '%s'],\n", pages[i], file_url(p, url, sizeof url));
  }
  fprintf(f, "];\n%s</script>\n</body></html>\n", harness_script);
  assert_int_equal(fclose(f), 0);
  return harness;
}

/* ===== Tests ===== */

static void
every_page_loads_its_images_and_fits_1024_px(void **state)
{
  (void) state;
  const char *harness = write_harness();
  char url[3 * PATH_MAX];
  int status = run_browser("--allow-file-access-from-files --window-size=1100,900 "
                           "--virtual-time-budget=120000 --dump-dom",
                           file_url(harness, url, sizeof url), "harness");
  char *dom = read_out("harness", "out");
  assert_non_null(dom);
  /* Only the verdict counts, not the script that writes it. */
  char *verdict = strstr(dom, "<pre id=\"verdict\">");
  char *end = verdict ? strstr(verdict, "</pre>") : NULL;
  if (end != NULL)
    *end = '\0';
  if (status != 0 || end == NULL || strstr(verdict, "[harness] done") == NULL) {
    char *log = read_out("harness", "log");
    print_error("the browser (exit %d) gave no verdict for every page:\n%s\n%s\n",
                status, dom, log ? log : "");
    free(log);
    fail();
  }
  /* The checks catch a broken page: both of its faults are named. */
  const char *broken = strstr(verdict, "[broken.html] FAIL: ");
  if (broken == NULL || strstr(broken, "image missing.svg did not load") == NULL
      || strstr(broken, "overflow: the page is") == NULL) {
    print_error("the harness did not catch the broken page:\n%s\n", verdict);
    fail();
  }
  int failed = 0;
  for (size_t i = 0; i < n_pages; i++) {
    char ok[128], bad[128];
    snprintf(ok, sizeof ok, "[%s] ok", pages[i]);
    snprintf(bad, sizeof bad, "[%s] FAIL", pages[i]);
    if (strstr(verdict, ok) == NULL) {
      const char *why = strstr(verdict, bad);
      print_error("%.*s\n", why ? (int) strcspn(why, "\n") : 40,
                  why ? why : ok);
      failed = 1;
    }
  }
  free(dom);
  assert_false(failed);
}

static void
every_page_has_a_screenshot(void **state)
{
  (void) state;
  for (size_t i = 0; i < n_pages; i++) {
    char name[128], png[PATH_MAX + 160], option[PATH_MAX + 200];
    char p[PATH_MAX + 128], url[3 * PATH_MAX];
    snprintf(name, sizeof name, "%.*s", (int) (strlen(pages[i]) - 5), pages[i]);
    snprintf(png, sizeof png, "%s/%s.png", out, name);
    unlink(png);
    snprintf(option, sizeof option, "--window-size=1024,1600 --hide-scrollbars "
             "--virtual-time-budget=30000 --screenshot=%s", sh(png));
    snprintf(p, sizeof p, "%s/%s", handouts, pages[i]);
    int status = run_browser(option, file_url(p, url, sizeof url), name);
    size_t size = 0;
    char *image = nn_test_read_file(png, &size);
    if (status != 0 || image == NULL || size < 24) {
      char *log = read_out(name, "log");
      print_error("no screenshot of %s (exit %d):\n%s\n", pages[i], status,
                  log ? log : "");
      free(log);
      free(image);
      fail();
    }
    /* A PNG, 1024 px wide: the signature, then IHDR's width. */
    assert_memory_equal(image, "\x89PNG\r\n\x1a\n", 8);
    const unsigned char *w = (const unsigned char *) image + 16;
    assert_int_equal((w[0] << 24) | (w[1] << 16) | (w[2] << 8) | w[3], 1024);
    free(image);
  }
}

static int
setup(void **state)
{
  (void) state;
  const char *top = getenv("NN_TOP_BUILDDIR");
  char cwd[PATH_MAX];
  if (top == NULL)
    top = getcwd(cwd, sizeof cwd);
  snprintf(handouts, sizeof handouts, "%s/handouts", top);
  snprintf(out, sizeof out, "%s/tests/out/handouts-browser", top);
  if (nn_test_shell("rm -rf %s && mkdir -p %s", sh(out), sh(out)) != 0)
    return -1;
  DIR *d = opendir(handouts);
  if (d == NULL) {
    print_error("no folder %s: make handouts first\n", handouts);
    return -1;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n_pages < 64) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".html") == 0)
      pages[n_pages++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(pages, n_pages, sizeof *pages, by_name);
  if (n_pages < 2) {
    print_error("%s holds %zu pages: make handouts first\n", handouts, n_pages);
    return -1;
  }
  return 0;
}

static int
teardown(void **state)
{
  (void) state;
  for (size_t i = 0; i < n_pages; i++)
    free(pages[i]);
  return 0;
}

int
main(void)
{
  const char *named = getenv("NN_CHROMIUM");
  if (named != NULL && named[0] != '\0')
    snprintf(browser, sizeof browser, "%s", named);
  else if (!find_in_path("chromium") && !find_in_path("chromium-browser")) {
    printf("SKIP: Chromium is not installed (Debian package chromium), so the "
           "handouts are not checked in a browser\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_page_loads_its_images_and_fits_1024_px),
    cmocka_unit_test(every_page_has_a_screenshot),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
