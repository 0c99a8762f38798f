/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lecturetest.c: what the smoke tests of the lectures share (see
 * lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_math.h>

int lt_have_gnuplot, lt_have_dot;
lt_run lt_default_run;

static int lecture_number;
static char lecture[PATH_MAX];   /* the program */
static char out_root[PATH_MAX];  /* tests/out/lectureN in the build tree */
static char sub_dir[PATH_MAX + 64];
static char default_dir[PATH_MAX + 64];  /* tests/out/lectureN/default */

/* ===== Setting up ===== */

const char *
lt_lecture(void)
{
  return lecture;
}

const char *
lt_out_root(void)
{
  return out_root;
}

const char *
lt_dir(const char *sub)
{
  snprintf(sub_dir, sizeof sub_dir, "%s/%s", out_root, sub);
  return sub_dir;
}

const char *
lt_default_dir(void)
{
  return default_dir;
}

const char *
lt_path(const char *dir, const char *name, const char *ext)
{
  static char paths[4][2 * PATH_MAX];
  static unsigned next;
  char *path = paths[next++ % 4];
  snprintf(path, sizeof paths[0], "%s/%s.%s", dir, name, ext);
  return path;
}

static const char *
gnuplot_program(void)
{
  return getenv("NN_GNUPLOT") ? getenv("NN_GNUPLOT") : NN_GNUPLOT_PROGRAM;
}

static const char *
dot_program(void)
{
  return getenv("NN_DOT") ? getenv("NN_DOT") : NN_DOT_PROGRAM;
}

void
lt_init(int number)
{
  const char *top = getenv("NN_TOP_BUILDDIR");
  if (top == NULL)
    top = ".";
  lecture_number = number;
  snprintf(lecture, sizeof lecture, "%s/lectures/lecture%d", top, number);
  snprintf(out_root, sizeof out_root, "%s/tests/out/lecture%d", top, number);
  char tests_out[PATH_MAX + 16];
  snprintf(tests_out, sizeof tests_out, "%s/tests/out", top);
  mkdir(tests_out, 0777);
  mkdir(out_root, 0777);

  /* Can the renderers run? The library asks NN_GNUPLOT / NN_DOT first. */
  const char *gp_argv[] = {gnuplot_program(), "--version", NULL};
  const char *dot_argv[] = {dot_program(), "-V", NULL};
  lt_run r = lt_run_program(gp_argv, NULL, NULL);
  lt_have_gnuplot = r.status == 0;
  lt_run_free(&r);
  r = lt_run_program(dot_argv, NULL, NULL);
  lt_have_dot = r.status == 0;
  lt_run_free(&r);
  if (!lt_have_gnuplot || !lt_have_dot)
    fprintf(stderr, "note: gnuplot %s, dot %s: the fallback is tested instead\n",
            lt_have_gnuplot ? "present" : "MISSING", lt_have_dot ? "present" : "MISSING");

  /* The run most tests read: the lecture as a student first runs it. */
  snprintf(default_dir, sizeof default_dir, "%s/default", out_root);
  lt_default_run = lt_run_lecture_drawn("default", NULL, NULL);
}

int
lt_teardown(void **state)
{
  (void) state;
  lt_run_free(&lt_default_run);
  return 0;
}

/* ===== Running ===== */

lt_run
lt_run_program(const char *const *argv, const char *const *env, const char *cwd)
{
  static unsigned count;
  char out_path[PATH_MAX + 32], err_path[PATH_MAX + 32];
  snprintf(out_path, sizeof out_path, "%s/run-%u.stdout", out_root, count);
  snprintf(err_path, sizeof err_path, "%s/run-%u.stderr", out_root, count);
  count++;
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
      _exit(126);
    for (const char *const *v = env; v != NULL && *v != NULL; v++)
      putenv((char *) *v);
    if (cwd != NULL && chdir(cwd) != 0)
      _exit(126);
    execvp(argv[0], (char *const *) argv);
    _exit(127);
  }
  int wstatus;
  while (waitpid(pid, &wstatus, 0) < 0)
    assert_int_equal(errno, EINTR);
  lt_run r;
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  r.out = lt_read_file(out_path, NULL);
  r.err = lt_read_file(err_path, NULL);
  assert_non_null(r.out);
  assert_non_null(r.err);
  unlink(out_path);
  unlink(err_path);
  return r;
}

void
lt_run_free(lt_run *r)
{
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

void
lt_check_succeeded(const lt_run *r)
{
  if (r->status != 0)
    print_error("stderr: %s\n", r->err);
  assert_int_equal(r->status, 0);
}

static lt_run
run_lecture(const char *sub, const char *const *args, const char *const *env,
            int draw)
{
  char dir[PATH_MAX + 64];
  snprintf(dir, sizeof dir, "%s/%s", out_root, sub);
  DIR *d = opendir(dir);  /* the folder holds files only: empty it */
  if (d != NULL) {
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
      char path[2 * PATH_MAX];
      snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
      if (ent->d_name[0] != '.')
        unlink(path);
    }
    closedir(d);
  }
  const char *argv[32] = {lecture, "--out", dir};
  size_t n = 3;
  if (!draw)
    argv[n++] = "--no-figures";
  for (const char *const *a = args; a != NULL && *a != NULL && n < 31; a++)
    argv[n++] = *a;
  argv[n] = NULL;
  return lt_run_program(argv, env, NULL);
}

lt_run
lt_run_lecture(const char *sub, const char *const *args, const char *const *env)
{
  return run_lecture(sub, args, env, 0);
}

lt_run
lt_run_lecture_drawn(const char *sub, const char *const *args,
                     const char *const *env)
{
  return run_lecture(sub, args, env, 1);
}

/* ===== Reading what a lecture printed ===== */

int
lt_contains(const char *haystack, const char *needle)
{
  if (strstr(haystack, needle) != NULL)
    return 1;
  print_error("the text does not contain \"%s\"\n", needle);
  return 0;
}

const char *
lt_find(const char *out, const char *text)
{
  const char *s = strstr(out, text);
  if (s == NULL)
    fail_msg("the lesson does not print \"%s\"", text);
  return s;
}

double
lt_printed_after(const char *out, const char *text)
{
  const char *s = lt_find(out, text);
  return strtod(s + strlen(text), NULL);
}

size_t
lt_printed_vector(const char *text, const char *marker, double *v, size_t max)
{
  const char *s = lt_find(text, marker) + strlen(marker);
  size_t n = 0;
  while (n < max) {  /* numbers separated by commas, up to the first other text */
    char *end;
    v[n] = strtod(s, &end);
    if (end == s)
      break;
    n++;
    s = end;
    if (*s != ',')
      break;
    s++;
  }
  return n;
}

size_t
lt_printed_matrix(const char *text, const char *name, double *m, size_t max_rows,
                  size_t max_cols, size_t *cols)
{
  char head[128];
  snprintf(head, sizeof head, "\n%s =\n", name);
  const char *s = lt_find(text, head) + strlen(head);
  size_t rows = 0;
  *cols = 0;
  while (rows < max_rows && strncmp(s, "  [", 3) == 0) {
    s += 3;
    size_t c = 0;
    for (;;) {
      char *end;
      double v = strtod(s, &end);
      if (end == s)
        break;
      if (c < max_cols)
        m[rows * max_cols + c] = v;
      c++;
      s = end;
    }
    while (*s == ' ')
      s++;
    assert_true(*s == ']');  /* the row ends after its numbers */
    if (rows == 0)
      *cols = c;
    assert_int_equal(c, *cols);
    rows++;
    s = strchr(s, '\n');
    assert_non_null(s);
    s++;
  }
  return rows;
}

/* ===== Reading the files a lecture wrote ===== */

char *
lt_read_file(const char *path, size_t *size)
{
  return nn_test_read_file(path, size);
}

int
lt_file_size(const char *dir, const char *name, const char *ext)
{
  char path[2 * PATH_MAX];
  snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
  struct stat st;
  return stat(path, &st) == 0 ? (int) (st.st_size < INT_MAX ? st.st_size : INT_MAX)
                              : -1;
}

/* Block INDEX of the .dat file at PATH: the first NCOLS (2 or 3) columns of
 * up to MAX rows whose NCOLS values are finite, into X, Y and Z (not used
 * for 2 columns). */
static size_t
read_columns(const char *path, size_t index, int ncols, double *x, double *y,
             double *z, size_t max)
{
  char *text = lt_read_file(path, NULL);
  if (text == NULL)
    print_error("cannot read %s\n", path);
  assert_non_null(text);
  size_t block = 0, n = 0, blank = 0;
  for (char *line = text, *end; *line != '\0'; line = end + (*end != '\0')) {
    end = line + strcspn(line, "\n");
    int empty = end == line;
    char saved = *end;
    *end = '\0';
    if (empty) {
      blank++;  /* one blank line ends a row of a grid; two end the block */
    } else {
      if (blank >= 2)  /* two blank lines: the next block starts */
        block++;
      blank = 0;
      double v[3] = {0, 0, 0};
      if (line[0] != '#' && block == index && n < max
          && sscanf(line, "%lf %lf %lf", &v[0], &v[1], &v[2]) >= ncols
          && isfinite(v[0]) && isfinite(v[1]) && (ncols == 2 || isfinite(v[2]))) {
        x[n] = v[0];
        y[n] = v[1];
        if (ncols == 3)
          z[n] = v[2];
        n++;
      }
    }
    *end = saved;
  }
  free(text);
  return n;
}

size_t
lt_read_block(const char *path, size_t index, double *x, double *y, size_t max)
{
  return read_columns(path, index, 2, x, y, NULL, max);
}

size_t
lt_read_block3(const char *path, size_t index, double *x, double *y, double *z,
               size_t max)
{
  return read_columns(path, index, 3, x, y, z, max);
}

/* ===== Checks every lecture passes ===== */

void
lt_check_lesson(const lt_run *r, const char *const *headings)
{
  lt_check_succeeded(r);
  const char *last = NULL;
  for (const char *const *h = headings; *h != NULL; h++) {
    assert_true(lt_contains(r->out, *h));
    const char *at = strstr(r->out, *h);
    if (last != NULL && at <= last)
      print_error("\"%s\" is printed before the heading above it\n", *h);
    assert_true(last == NULL || at > last);  /* in the order of the source */
    last = at;
  }
  assert_null(strstr(r->out, "///"));
}

void
lt_check_terminal_plot(const lt_run *r, const char *title)
{
  if (lt_have_gnuplot) {
    /* an ASCII plot: gnuplot's dumb terminal frames it with +----+ */
    assert_true(lt_contains(r->out, "+------------------------------------------"));
    assert_true(lt_contains(r->out, title));
  } else {
    assert_true(lt_contains(r->err, "gnuplot-nox"));
    assert_true(lt_contains(r->out, "not drawn"));
  }
}

/* One .gp of DIR: data, pictures, and gnuplot runs it on its own. */
static void
check_gnuplot_figure(const char *dir, const char *file, const char *name)
{
  assert_true(lt_file_size(dir, name, "dat") > 0);
  if (!lt_have_gnuplot) {
    assert_int_equal(lt_file_size(dir, name, "svg"), -1);
    return;
  }
  assert_true(lt_file_size(dir, name, "svg") > 0);
  assert_true(lt_file_size(dir, name, "png") > 0);
  char path[2 * PATH_MAX];
  snprintf(path, sizeof path, "%s/%s.png", dir, name);
  size_t size;
  char *png = lt_read_file(path, &size);
  assert_non_null(png);
  assert_true(size > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
  free(png);
  /* the script runs on its own, in its folder, on any terminal */
  const char *argv[] = {gnuplot_program(), "-e",
                        "set terminal dumb; set output '/dev/null'", file, NULL};
  lt_run g = lt_run_program(argv, NULL, dir);
  if (g.status != 0 || strstr(g.err, "rror") != NULL)
    print_error("gnuplot %s: %s\n", file, g.err);
  assert_int_equal(g.status, 0);
  assert_null(strstr(g.err, "rror"));
  lt_run_free(&g);
}

/* One .dot of DIR: it parses, and its picture is there. */
static void
check_graphviz_figure(const char *dir, const char *file, const char *name)
{
  if (!lt_have_dot) {
    assert_int_equal(lt_file_size(dir, name, "svg"), -1);
    return;
  }
  assert_true(lt_file_size(dir, name, "svg") > 0);
  char path[2 * PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  const char *argv[] = {dot_program(), "-Tsvg", "-o", "/dev/null", path, NULL};
  lt_run g = lt_run_program(argv, NULL, NULL);
  if (g.status != 0 || g.err[0] != '\0')
    print_error("dot %s: %s\n", file, g.err);
  assert_int_equal(g.status, 0);
  assert_string_equal(g.err, "");
  lt_run_free(&g);
}

void
lt_check_figures(const char *dir, const char *const *plots, const char *const *graphs)
{
  for (const char *const *p = plots; p != NULL && *p != NULL; p++) {
    if (lt_file_size(dir, *p, "gp") <= 0)
      print_error("%s/%s.gp is missing\n", dir, *p);
    assert_true(lt_file_size(dir, *p, "gp") > 0);
  }
  for (const char *const *g = graphs; g != NULL && *g != NULL; g++) {
    if (lt_file_size(dir, *g, "dot") <= 0)
      print_error("%s/%s.dot is missing\n", dir, *g);
    assert_true(lt_file_size(dir, *g, "dot") > 0);
  }
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    char name[256];
    size_t len = strlen(ent->d_name);
    int is_gp = len > 3 && strcmp(ent->d_name + len - 3, ".gp") == 0;
    int is_dot = len > 4 && strcmp(ent->d_name + len - 4, ".dot") == 0;
    if (!is_gp && !is_dot)
      continue;
    snprintf(name, sizeof name, "%.*s", (int) (len - (is_gp ? 3 : 4)), ent->d_name);
    if (is_gp)
      check_gnuplot_figure(dir, ent->d_name, name);
    else
      check_graphviz_figure(dir, ent->d_name, name);
  }
  closedir(d);
}

void
lt_check_missing_programs(const char *const *args, const char *plot, const char *graph)
{
  const char *env[] = {"NN_GNUPLOT=/nonexistent/gnuplot", "NN_DOT=/nonexistent/dot",
                       NULL};
  lt_run r = lt_run_lecture_drawn("fallback", args, env);
  lt_check_succeeded(&r);
  /* it says so, once, naming the Debian packages */
  assert_true(lt_contains(r.err, "gnuplot-nox"));
  assert_true(lt_contains(r.err, "graphviz"));
  const char *first = strstr(r.err, "gnuplot-nox");
  assert_null(strstr(first + 1, "gnuplot-nox"));
  assert_true(lt_contains(r.out, "not drawn"));
  assert_true(lt_contains(r.out, "## Figures written"));
  /* and still writes the scripts and their data, but no picture */
  const char *dir = lt_dir("fallback");
  assert_true(lt_file_size(dir, plot, "gp") > 0);
  assert_true(lt_file_size(dir, plot, "dat") > 0);
  assert_true(lt_file_size(dir, graph, "dot") > 0);
  assert_int_equal(lt_file_size(dir, plot, "svg"), -1);
  assert_int_equal(lt_file_size(dir, graph, "svg"), -1);
  lt_run_free(&r);
}

void
lt_check_help(const char *const *knobs)
{
  const char *args[] = {"--help", NULL};
  lt_run r = lt_run_lecture("help", args, NULL);
  assert_int_equal(r.status, 0);
  for (const char *const *k = knobs; *k != NULL; k++)
    assert_true(lt_contains(r.out, *k));
  lt_run_free(&r);
}

void
lt_check_refused(const char *const *args, const char *says, const char *also_says)
{
  char prefix[64];
  snprintf(prefix, sizeof prefix, "lecture%d: error: ", lecture_number);
  lt_run r = lt_run_lecture("bad", args, NULL);
  if (r.status != 2)
    print_error("%s %s: exit %d\n", args[0], args[1] ? args[1] : "", r.status);
  assert_int_equal(r.status, 2);
  assert_true(lt_contains(r.err, prefix));
  assert_true(lt_contains(r.err, says));
  assert_true(lt_contains(r.err, also_says));
  assert_string_equal(r.out, "");  /* refused before the lesson starts */
  lt_run_free(&r);
}

/* The lecture run on a pseudo-terminal with ENV: what it printed. */
static char *
run_on_terminal(const char *const *args, const char *const *env)
{
  int master;
  fflush(stdout);
  fflush(stderr);
  struct winsize ws = {24, 80, 0, 0};
  pid_t pid = forkpty(&master, NULL, NULL, &ws);
  assert_true(pid >= 0);
  if (pid == 0) {
    unsetenv("NO_COLOR");
    setenv("TERM", "xterm", 1);
    for (const char *const *v = env; v != NULL && *v != NULL; v++)
      putenv((char *) *v);
    const char *argv[32] = {lecture, "--out", lt_dir("terminal"), "--no-figures"};
    size_t n = 4;
    for (const char *const *a = args; a != NULL && *a != NULL && n < 31; a++)
      argv[n++] = *a;
    argv[n] = NULL;
    execv(argv[0], (char *const *) argv);
    _exit(127);
  }
  size_t len = 0, cap = 1 << 16;
  char *text = malloc(cap);
  assert_non_null(text);
  for (;;) {  /* until the lecture closes the terminal (EIO on Linux) */
    if (len + 4096 + 1 > cap) {
      cap *= 2;
      text = realloc(text, cap);
      assert_non_null(text);
    }
    ssize_t got = read(master, text + len, 4096);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    len += (size_t) got;
  }
  text[len] = '\0';
  close(master);
  int wstatus;
  while (waitpid(pid, &wstatus, 0) < 0)
    assert_int_equal(errno, EINTR);
  assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  return text;
}

void
lt_check_sections_and_terminal(void)
{
  /* the list: numbers from 0, the lecture's title first, "Figures written"
   * last; section 1 is the first "## " heading of the full lesson */
  const char *list[] = {"--sections", NULL};
  lt_run r = lt_run_lecture("sections", list, NULL);
  lt_check_succeeded(&r);
  char line[256], first[128];
  snprintf(line, sizeof line, "\n   0  Lecture %d: ", lecture_number);
  assert_true(lt_contains(r.out, line));
  const char *one = lt_find(r.out, "\n   1  ") + strlen("\n   1  ");
  snprintf(first, sizeof first, "%.*s", (int) strcspn(one, "\n"), one);
  const char *h2 = strstr(lt_default_run.out, "\n## ");
  assert_non_null(h2);
  snprintf(line, sizeof line, "\n## %s\n", first);
  assert_true(h2 == strstr(lt_default_run.out, line));
  assert_true(lt_contains(r.out, "  Figures written\n"));
  assert_null(strstr(r.out, "\033["));
  lt_run_free(&r);

  /* one section: its heading, none of the others, every figure written */
  const char *section_1[] = {"--section", "1", NULL};
  r = lt_run_lecture("section", section_1, NULL);
  lt_check_succeeded(&r);
  snprintf(line, sizeof line, "## %s", first);
  assert_true(strncmp(r.out, line, strlen(line)) == 0);  /* it starts there */
  assert_null(strstr(r.out, "\n## "));                  /* and has no other */
  assert_null(strstr(r.out, "# Lecture"));
  lt_run all = lt_run_lecture("section-all", NULL, NULL);
  lt_check_succeeded(&all);
  assert_true(strlen(r.out) < strlen(all.out));
  assert_true(lt_contains(all.out, r.out));  /* the same text as in the whole */
  DIR *d = opendir(lt_dir("section-all"));
  assert_non_null(d);
  struct dirent *ent;
  size_t files = 0;
  while ((ent = readdir(d)) != NULL) {
    if (ent->d_name[0] == '.')
      continue;
    char path[2 * PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", lt_dir("section"), ent->d_name);
    struct stat st;
    if (stat(path, &st) != 0)
      print_error("--section 1 did not write %s\n", ent->d_name);
    assert_int_equal(stat(path, &st), 0);
    files++;
  }
  closedir(d);
  assert_true(files > 0);
  lt_run_free(&all);
  lt_run_free(&r);

  const char *none[] = {"--section", "999", NULL};
  r = lt_run_lecture("section", none, NULL);
  assert_int_equal(r.status, 2);
  assert_true(lt_contains(r.err, "no section 999"));
  assert_true(lt_contains(r.err, "--sections"));
  lt_run_free(&r);

  /* a terminal: bold headings; NO_COLOR or TERM=dumb: none */
  char *text = run_on_terminal(section_1, NULL);
  snprintf(line, sizeof line, "\033[1;4m%s\033[0m", first);
  assert_true(lt_contains(text, line));
  free(text);
  const char *no_color[] = {"NO_COLOR=1", NULL}, *dumb[] = {"TERM=dumb", NULL};
  text = run_on_terminal(section_1, no_color);
  assert_true(lt_contains(text, first));
  assert_null(strstr(text, "\033["));
  free(text);
  text = run_on_terminal(section_1, dumb);
  assert_true(lt_contains(text, first));
  assert_null(strstr(text, "\033["));
  free(text);
}

void
lt_check_seed_determines_the_lesson(void)
{
  const char *seven[] = {"--seed", "7", NULL}, *eight[] = {"--seed", "8", NULL};
  lt_run a = lt_run_lecture("seed", seven, NULL);
  lt_run b = lt_run_lecture("seed", seven, NULL);
  lt_run c = lt_run_lecture("seed", eight, NULL);
  assert_int_equal(a.status, 0);
  assert_int_equal(b.status, 0);
  assert_int_equal(c.status, 0);
  assert_string_equal(a.out, b.out);
  assert_true(strcmp(a.out, c.out) != 0);
  lt_run_free(&a);
  lt_run_free(&b);
  lt_run_free(&c);
}

void
lt_check_seed_determines_the_files(const char *const *files)
{
  const char *seven[] = {"--seed", "7", NULL};
  lt_run a = lt_run_lecture("seed-a", seven, NULL);
  lt_run b = lt_run_lecture("seed-b", seven, NULL);
  assert_int_equal(a.status, 0);
  assert_int_equal(b.status, 0);
  for (const char *const *f = files; *f != NULL; f++) {
    char pa[2 * PATH_MAX], pb[2 * PATH_MAX];
    snprintf(pa, sizeof pa, "%s/%s", lt_dir("seed-a"), *f);
    snprintf(pb, sizeof pb, "%s/%s", lt_dir("seed-b"), *f);
    char *fa = lt_read_file(pa, NULL), *fb = lt_read_file(pb, NULL);
    assert_non_null(fa);
    assert_non_null(fb);
    assert_string_equal(fa, fb);
    free(fa);
    free(fb);
  }
  lt_run_free(&a);
  lt_run_free(&b);
}

/* ===== Gradient checks ===== */

double
lt_peaks(double x, double y)
{
  return 3 * (1 - x) * (1 - x) * exp(-x * x - (y + 1) * (y + 1))
         - 10 * (x / 5 - pow(x, 3) - pow(y, 5)) * exp(-x * x - y * y)
         - exp(-(x + 1) * (x + 1) - y * y) / 3;
}

void
lt_peaks_gradient(double x, double y, double h, double g[2])
{
  g[0] = (lt_peaks(x + h, y) - lt_peaks(x - h, y)) / (2 * h);
  g[1] = (lt_peaks(x, y + h) - lt_peaks(x, y - h)) / (2 * h);
}

double
lt_relative_error(const double *analytic, const double *numerical, size_t n)
{
  double diff = 0, scale = 0;
  int nonzero = 0;
  for (size_t i = 0; i < n; i++) {
    nonzero |= analytic[i] != 0;
    diff = fmax(diff, fabs(analytic[i] - numerical[i]));
    scale = fmax(scale, fabs(analytic[i]) + fabs(numerical[i]));
  }
  if (!nonzero)
    fail_msg("the analytic gradient is all zeros: nothing is checked");
  return diff / fmax(scale, 1e-8);
}

void
lt_check_slopes(const char *what, const double *x, const double *slope, size_t n,
                double (*f)(double x, const double *params), const double *params)
{
  assert_true(n >= 10);
  double worst = 0.0, scale = 0.0;  /* GSL_MAX: a NaN fails the check */
  for (size_t k = 0; k < n; k++) {
    const double h = 1e-5 * GSL_MAX(fabs(x[k]), 0.01);
    double num = (f(x[k] + h, params) - f(x[k] - h, params)) / (2 * h);
    worst = GSL_MAX(worst, fabs(slope[k] - num));
    scale = GSL_MAX(scale, fabs(slope[k]) + fabs(num));
  }
  if (!(scale > 1e-3))
    fail_msg("%s: the slopes are all zero", what);
  double error = worst / scale;
  if (!(error < 1e-7))
    print_error("%s: relative error %g\n", what, error);
  assert_true(error < 1e-7);
}
