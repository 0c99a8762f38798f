/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grade.c: grading one exercise of one submission (see grade.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "grade.h"

#ifndef NNGRADE_EXERCISES_DIR
#define NNGRADE_EXERCISES_DIR "/usr/local/share/nncourse/exercises"
#endif
#ifndef NNGRADE_PROBE_DIR
#define NNGRADE_PROBE_DIR "/usr/local/lib/nncourse"
#endif
#ifndef NNGRADE_INCLUDE_DIR
#define NNGRADE_INCLUDE_DIR "/usr/local/include/nncourse/grader"
#endif
#ifndef NNGRADE_LIB_INCLUDE_DIR
#define NNGRADE_LIB_INCLUDE_DIR "/usr/local/include"
#endif
#ifndef NNGRADE_JUDGE_CFLAGS
#define NNGRADE_JUDGE_CFLAGS ""
#endif
#ifndef NNGRADE_CC
#define NNGRADE_CC "cc"
#endif
#ifndef NNGRADE_STUDENT_CFLAGS
#define NNGRADE_STUDENT_CFLAGS ""
#endif
#ifndef NNGRADE_STUDENT_LIBS
#define NNGRADE_STUDENT_LIBS "-lgsl -lgslcblas -lm"
#endif
#ifndef NNGRADE_STUDENT_LDFLAGS
#define NNGRADE_STUDENT_LDFLAGS ""
#endif
/* GSL and its reference CBLAS, linked statically (Debian's libgsl-dev ships
 * libgsl.a and libgslcblas.a): for the probes of exercises that forbid
 * functions. */
#define NNGRADE_STUDENT_STATIC_LIBS \
  NNGRADE_STUDENT_LDFLAGS " -Wl,-Bstatic -lgsl -lgslcblas -Wl,-Bdynamic -lm"

/* The largest source file nngrade accepts. */
#define MAX_SOURCE_BYTES (1 << 20)

static const char *
env_or(const char *name, const char *fallback)
{
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0' ? v : fallback;
}

void
nng_config_default(nng_config *cfg)
{
  cfg->exercises_dir = env_or("NNGRADE_EXERCISES_DIR", NNGRADE_EXERCISES_DIR);
  cfg->probe_dir = env_or("NNGRADE_PROBE_DIR", NNGRADE_PROBE_DIR);
  cfg->cc = env_or("NNGRADE_CC", NNGRADE_CC);
  cfg->cflags = NNGRADE_STUDENT_CFLAGS;
  cfg->libs = NNGRADE_STUDENT_LIBS;
  cfg->static_libs = NNGRADE_STUDENT_STATIC_LIBS;
  cfg->grader_include = env_or("NNGRADE_INCLUDE_DIR", NNGRADE_INCLUDE_DIR);
  cfg->lib_include = env_or("NNGRADE_LIB_INCLUDE_DIR", NNGRADE_LIB_INCLUDE_DIR);
  cfg->judge_cflags = NNGRADE_JUDGE_CFLAGS;
  nng_limits_for_test(&cfg->test_limits);
  nng_limits_for_compiler(&cfg->compile_limits);
}

/* ===== Finding the source =====
 * A submission folder is the student's, and so are the symbolic links in it:
 * "ex01 -> ../bob/ex01" (a classmate's folder) or "ex01 -> /srv/course/
 * solutions/ex01" would have the grader grade somebody else's work under
 * the student's name. `unzip` keeps links, so a TA meets them. Every
 * component of the path is looked at: a link is followed only when where it
 * leads, all links resolved, is still inside the submission folder. */

/* 1 when the canonical path PATH is ROOT or inside it. */
static int
is_inside(const char *path, const char *root)
{
  size_t n = strlen(root);
  if (n == 1 && root[0] == '/')
    return 1;
  return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Resolve REL (a relative path, no "..") inside the folder DIR. Returns 1 when
 * it is a regular file inside DIR, all links resolved; 0 when there is none;
 * -1 when a link on its way leads out of DIR or nowhere, with WHY naming the
 * link (relative to DIR). */
static int
resolve_inside(const char *dir, const char *rel, char *why, size_t why_size)
{
  char root[PATH_MAX], real[PATH_MAX], path[PATH_MAX];
  if (realpath(dir, root) == NULL)
    return 0;
  int n = snprintf(path, sizeof path, "%s/", dir);
  if (n < 0 || (size_t) n >= sizeof path)
    return 0;
  size_t base = (size_t) n;
  /* Each prefix of REL in turn: "ex01", then "ex01/exercise1.c". */
  for (const char *p = rel; *p != '\0';) {
    size_t k = strcspn(p, "/");
    size_t end = (size_t) (p - rel) + k;
    if (base + end >= sizeof path)
      return 0;
    memcpy(path + base, rel, end);
    path[base + end] = '\0';
    struct stat st;
    if (lstat(path, &st) != 0)
      return 0;
    if (S_ISLNK(st.st_mode)) {
      if (realpath(path, real) == NULL) {
        snprintf(why, why_size, "%s is a symbolic link that leads nowhere in your "
                 "submission: not followed", path + base);
        return -1;
      }
      if (!is_inside(real, root)) {
        snprintf(why, why_size, "%s is a symbolic link that leads out of your "
                 "submission: not followed (a link may only lead to a file or folder "
                 "of the submission itself)", path + base);
        return -1;
      }
    }
    p += k;
    while (*p == '/')
      p++;
  }
  struct stat st;
  if (realpath(path, real) == NULL || !is_inside(real, root) || stat(real, &st) != 0)
    return 0;
  return S_ISREG(st.st_mode);
}

int
nng_locate_source(const char *dir, const nng_exercise *ex, char *path, size_t n,
                  char *why, size_t why_size)
{
  char rel[256];
  int refused = 0;
  why[0] = '\0';
  path[0] = '\0';
  for (int layout = 0; layout < 2; layout++) {
    if (layout == 0)
      snprintf(rel, sizeof rel, "%s", ex->source);
    else
      snprintf(rel, sizeof rel, "%s/%s", ex->folder, ex->source);
    /* the first layout's refusal is kept when the second has no file */
    char reason[512];
    int r = resolve_inside(dir, rel, reason, sizeof reason);
    if (r == 1) {
      snprintf(path, n, "%s/%s", dir, rel);
      why[0] = '\0';
      return 1;
    }
    if (r < 0 && !refused) {
      snprintf(why, why_size, "%s", reason);
      refused = 1;
    }
  }
  return refused ? -1 : 0;
}

int
nng_find_source(const char *dir, const nng_exercise *ex, char *path, size_t n)
{
  char why[512];
  return nng_locate_source(dir, ex, path, n, why, sizeof why) == 1;
}

/* ===== Scratch folders ===== */

/* Copy SRC to DST; the source must be a regular file of reasonable size.
 * SRC was found by nng_locate_source(): a link on its way stays inside the
 * submission, and is followed. (Submissions do not change while they are
 * graded: student code runs later, and never sees them.) O_NONBLOCK: a
 * named pipe must not block the grader. */
static int
copy_source(const char *src, const char *dst, char *reason, size_t n)
{
  int in = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (in < 0) {
    snprintf(reason, n, "cannot open %s: %s", src, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_SOURCE_BYTES) {
    snprintf(reason, n, "%s is not a regular file of at most %d bytes", src,
             MAX_SOURCE_BYTES);
    close(in);
    return -1;
  }
  /* readable by the compiler, which runs as the sandbox user */
  int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    snprintf(reason, n, "cannot create %s: %s", dst, strerror(errno));
    close(in);
    return -1;
  }
  char buf[65536];
  ssize_t r;
  int status = 0;
  while ((r = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t) r) != r) {
      status = -1;
      break;
    }
  if (r < 0)
    status = -1;
  if (close(out) != 0)
    status = -1;
  close(in);
  if (status != 0)
    snprintf(reason, n, "cannot copy %s: %s", src, strerror(errno));
  return status;
}

/* ===== Compiling ===== */

/* An argument vector of up to MAX words. */
typedef struct argv_builder {
  char *words[128];
  size_t n;
  char *buffers[8];  /* copies of split strings, freed with the builder */
  size_t n_buffers;
} argv_builder;

static void
argv_add(argv_builder *a, const char *w)
{
  if (a->n + 1 < sizeof a->words / sizeof a->words[0])
    a->words[a->n++] = (char *) w;
  a->words[a->n] = NULL;
}

/* Add the whitespace-separated words of S. */
static void
argv_split(argv_builder *a, const char *s)
{
  if (a->n_buffers == sizeof a->buffers / sizeof a->buffers[0])
    return;
  char *copy = strdup(s);
  if (copy == NULL)
    return;
  a->buffers[a->n_buffers++] = copy;
  char *save = NULL;
  for (char *w = strtok_r(copy, " \t\n", &save); w != NULL;
       w = strtok_r(NULL, " \t\n", &save))
    argv_add(a, w);
}

static void
argv_free(argv_builder *a)
{
  for (size_t i = 0; i < a->n_buffers; i++)
    free(a->buffers[i]);
}

/* Append TEXT to *log (which may be NULL). */
static void
append_log(char **log, const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;
  size_t old = *log ? strlen(*log) : 0, add = strlen(text);
  char *b = realloc(*log, old + add + 1);
  if (b == NULL)
    return;
  memcpy(b + old, text, add + 1);
  *log = b;
}

/* 1 when the symbol NAME matches one of the space-separated PATTERNS (a
 * name, or a prefix followed by '*'). */
static int
symbol_listed(const char *name, const char *patterns)
{
  const char *p = patterns;
  while (p != NULL && *p != '\0') {
    while (*p == ' ')
      p++;
    size_t n = strcspn(p, " ");
    if (n > 0 && p[n - 1] == '*' ? strncmp(name, p, n - 1) == 0
        : n > 0 && strlen(name) == n && strncmp(name, p, n) == 0)
      return 1;
    p += n;
  }
  return 0;
}

/* Functions no exercise needs, which load code or look functions up at run
 * time: dlsym("cblas_ddot") calls what nm -u cannot see. Besides the dl*
 * family, the loader's own lists of loaded objects and symbols, and glibc's
 * private entry points to them. */
static const char *const code_loaders = "dlopen dlmopen dlsym dlvsym dladdr dladdr1 "
  "dlinfo dl_iterate_phdr _dl_* __libc_dl*";

/* The rule of an exercise that forbids functions, in one statement: the
 * same words as in the exercise's README and header. E.g. "no gsl_blas_*,
 * cblas_* or gsl_deriv_* anywhere in exercise1.c, in any function; one call
 * costs the whole exercise". */
static void
forbidden_rule(const nng_exercise *ex, char *out, size_t n)
{
  const char *word[16];
  int len[16];
  size_t k = 0;
  for (const char *p = ex->forbidden; p != NULL && *p != '\0' && k < 16;) {
    p += strspn(p, " ");
    size_t w = strcspn(p, " ");
    if (w > 0) {
      word[k] = p;
      len[k++] = (int) w;
    }
    p += w;
  }
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < k && used < n; i++)
    used += (size_t) snprintf(out + used, n - used, "%s%.*s",
                              i == 0 ? "no " : i + 1 == k ? " or " : ", ", len[i], word[i]);
  if (used < n)
    snprintf(out + used, n - used, " anywhere in %s, in any function; one call costs "
             "the whole exercise", ex->source);
}

/* The functions an object calls that it does not define, as nm -u lists
 * them in OUT (changed here): the course library's own implementation
 * (nn_*), code loaders, and what the exercise forbids earn nothing. 0, or
 * -1 with RES saying why. */
static int
check_symbols(const nng_exercise *ex, char *out, nng_exercise_result *res)
{
  char *save = NULL;
  int status = 0;
  for (char *line = strtok_r(out, "\n", &save); line != NULL && status == 0;
       line = strtok_r(NULL, "\n", &save)) {
    /* "                 U name" (or "w name"): the last word, without a
     * symbol version */
    char *name = strrchr(line, ' ');
    name = name != NULL ? name + 1 : line;
    name[strcspn(name, "@")] = '\0';
    const char *what = NULL;
    if (strncmp(name, "nn_", 3) == 0)
      what = "the course library's own implementation";
    else if (symbol_listed(name, code_loaders))
      what = "which loads code or looks functions up at run time";
    else if (symbol_listed(name, ex->forbidden))
      what = "which this exercise asks you to write yourself";
    if (what != NULL) {
      char rule[256] = "";
      if (symbol_listed(name, ex->forbidden))
        forbidden_rule(ex, rule, sizeof rule);
      res->status = NNG_EX_COMPILE_ERROR;
      snprintf(res->reason, sizeof res->reason, "%s calls %s, %s: not allowed (earns "
               "no points)%s%s", ex->source, name, what, rule[0] ? ". The rule: " : "",
               rule);
      status = -1;
    }
  }
  return status;
}

/* What the compile run left in DIR: the file NAME, at most MAX bytes,
 * NUL-terminated (the caller frees it); NULL when there is none. */
static char *
read_left(const char *dir, const char *name, size_t max)
{
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  char *text = malloc(max + 1);
  size_t n = 0;
  ssize_t r = 0;
  while (text != NULL && n < max && (r = read(fd, text + n, max - n)) > 0)
    n += (size_t) r;
  close(fd);
  if (text != NULL)
    text[n] = '\0';
  return text;
}

/* The exit status a step of the compile run wrote in DIR/NAME; -1 when
 * there is none. */
static int
step_status(const char *dir, const char *name)
{
  char *text = read_left(dir, name, 32);
  int status = -1;
  if (text != NULL && sscanf(text, "%d", &status) != 1)
    status = -1;
  free(text);
  return status;
}

/* Append to SCRIPT (of N bytes) a line of shell that runs the positional
 * parameters FIRST to LAST (1-based) as one command, with REDIRECT after it. */
static void
script_step(char *script, size_t n, size_t first, size_t last, const char *redirect)
{
  size_t used = strlen(script);
  for (size_t i = first; i <= last && used < n; i++)
    used += (size_t) snprintf(script + used, n - used, "\"${%zu}\" ", i);
  if (used < n)
    snprintf(script + used, n - used, "%s\n", redirect);
}

/* Compile the student's file, list the functions it calls (nm -u) and link
 * the probe, in one run in the sandbox (each run of a sandbox costs its
 * making): a shell runs the three steps, the compiler's messages are what
 * the run prints, and what nm and the linker print, and how they ended,
 * goes to files beside the object. The probe is linked whatever nm lists,
 * and used only when the check of the names passes. */
static int
compile(const nng_config *cfg, const nng_exercise *ex, const char *dir,
        nng_exercise_result *res)
{
  char include[1024], probe_lib[1024], object[64];
  snprintf(include, sizeof include, "-I%s/%s", cfg->exercises_dir, ex->folder);
  snprintf(probe_lib, sizeof probe_lib, "%s/libnngrade-%s.a", cfg->probe_dir, ex->folder);
  snprintf(object, sizeof object, "%s.o", ex->folder);
  if (access(probe_lib, R_OK) != 0) {
    res->status = NNG_EX_GRADER_ERROR;
    snprintf(res->reason, sizeof res->reason, "the grader's probe library %s is "
             "missing: is nncourse built and installed?", probe_lib);
    return -1;
  }
  if (nng_sandbox_probes_ready(res->reason, sizeof res->reason) != 0) {
    res->status = NNG_EX_GRADER_ERROR;
    return -1;
  }

  /* sh -c SCRIPT sh WORDS...: the steps' words are the positional
   * parameters, so that no path needs quoting */
  char script[2048] = "";
  argv_builder run = {0};
  argv_add(&run, "sh");
  argv_add(&run, "-c");
  argv_add(&run, script);
  argv_add(&run, "sh");
  size_t first = run.n;
  argv_split(&run, cfg->cc);
  argv_add(&run, "-std=gnu11");
  argv_add(&run, "-O1");
  argv_add(&run, "-Wall");
  argv_add(&run, "-fdiagnostics-color=never");
  argv_add(&run, include);
  argv_split(&run, cfg->cflags);
  argv_add(&run, "-c");
  argv_add(&run, ex->source);
  argv_add(&run, "-o");
  argv_add(&run, object);
  size_t nm_at = run.n;
  argv_add(&run, "nm");
  argv_add(&run, "-u");
  argv_add(&run, object);
  size_t ld_at = run.n;
  argv_split(&run, cfg->cc);
  argv_add(&run, "-o");
  argv_add(&run, "probe");
  argv_add(&run, object);
  argv_add(&run, probe_lib);
  /* An exercise that forbids functions gets a probe without them: GSL is
   * linked statically, so the probe holds only the parts of GSL that it
   * and the student's code name, and no CBLAS library is loaded. What the
   * check of names above cannot see (a symbol looked up at run time, a
   * scan of the loaded libraries) then finds nothing to call. */
  argv_split(&run, ex->forbidden != NULL ? cfg->static_libs : cfg->libs);
  size_t end = run.n;
  script_step(script, sizeof script, 1, nm_at - first, "|| exit");
  script_step(script, sizeof script, nm_at - first + 1, ld_at - first,
              "> .nngrade-symbols 2>&1; echo $? > .nngrade-symbols-status");
  script_step(script, sizeof script, ld_at - first + 1, end - first,
              "> .nngrade-link 2>&1; echo $? > .nngrade-link-status");

  char *out = NULL, why[256];
  int status = nng_run_sandboxed_tool(run.words, dir, &cfg->compile_limits, &out, why,
                                      sizeof why);
  argv_free(&run);
  append_log(&res->compiler_output, out);
  free(out);
  if (status != 0) {
    res->status = status < 0 ? NNG_EX_GRADER_ERROR : NNG_EX_COMPILE_ERROR;
    snprintf(res->reason, sizeof res->reason, "%s does not compile%s%s",
             ex->source, why[0] ? ": the compiler " : "", why);
    return -1;
  }

  /* every symbol, however many */
  int nm_status = step_status(dir, ".nngrade-symbols-status");
  char *symbols = read_left(dir, ".nngrade-symbols", (size_t) 1 << 20);
  if (nm_status != 0 || symbols == NULL) {
    if (nm_status == 127)
      snprintf(why, sizeof why, "could not run nm");
    else if (nm_status > 0)
      snprintf(why, sizeof why, "failed (exit status %d)", nm_status);
    else
      snprintf(why, sizeof why, "it did not run");
    res->status = NNG_EX_GRADER_ERROR;
    snprintf(res->reason, sizeof res->reason, "cannot list the functions %s calls "
             "(nm -u: %s)", ex->source, why);
    free(symbols);
    return -1;
  }
  status = check_symbols(ex, symbols, res);
  free(symbols);
  if (status != 0)
    return -1;

  int ld_status = step_status(dir, ".nngrade-link-status");
  out = read_left(dir, ".nngrade-link", cfg->compile_limits.output_keep);
  append_log(&res->compiler_output, out);
  free(out);
  if (ld_status != 0) {
    res->status = ld_status < 0 || ld_status == 127 ? NNG_EX_GRADER_ERROR
                : NNG_EX_COMPILE_ERROR;
    snprintf(res->reason, sizeof res->reason, "%s compiles but does not link: is "
             "every function of the header defined, and nothing else called "
             "that the exercise does not allow?", ex->source);
    return -1;
  }
  return 0;
}

/* ===== Running one test ===== */

/* Run cmocka on one test, with nngrade's own stdout and stderr going to a
 * temporary file meanwhile (cmocka prints there). Returns cmocka's count of
 * failures and leaves what it printed in MESSAGES. */
static int
run_cmocka(const nng_test *t, char *messages, size_t n)
{
  struct CMUnitTest unit = {t->name, t->run, NULL, NULL, NULL};
  messages[0] = '\0';
  fflush(stdout);
  fflush(stderr);
  FILE *tmp = tmpfile();
  int saved_out = dup(1), saved_err = dup(2);
  if (tmp != NULL && saved_out >= 0 && saved_err >= 0) {
    dup2(fileno(tmp), 1);
    dup2(fileno(tmp), 2);
  }
  cmocka_set_message_output(CM_OUTPUT_STDOUT);
  int failed = _cmocka_run_group_tests(t->name, &unit, 1, NULL, NULL);
  fflush(stdout);
  fflush(stderr);
  if (saved_out >= 0) {
    dup2(saved_out, 1);
    close(saved_out);
  }
  if (saved_err >= 0) {
    dup2(saved_err, 2);
    close(saved_err);
  }
  if (tmp != NULL) {
    /* Keep the lines that explain a failure, not cmocka's banners. */
    rewind(tmp);
    char line[512];
    size_t used = 0;
    while (fgets(line, sizeof line, tmp) != NULL) {
      if (line[0] == '[' || strncmp(line, "Test failed", 11) == 0)
        continue;
      size_t len = strlen(line);
      if (used + len + 1 < n) {
        memcpy(messages + used, line, len + 1);
        used += len;
      }
    }
    fclose(tmp);
  }
  return failed;
}

/* Run test T in a fresh probe in BOX and write down its verdict in R. */
static void
grade_test(const nng_test *t, nng_probe_box *box, nng_test_result *r)
{
  nng_probe p;
  nng_note note = {NNG_PASSED, ""};
  r->points = 0.0;
  if (nng_probe_start_in(&p, box) != 0) {
    r->verdict = NNG_CRASHED;
    snprintf(r->detail, sizeof r->detail, "The grader could not start your "
             "program: %s.", p.reason);
    nng_probe_stop(&p);
    free(p.output);
    return;
  }
  nng_set_current(&p, &note);
  char messages[1024];
  int failed = run_cmocka(t, messages, sizeof messages);
  nng_set_current(NULL, NULL);
  nng_probe_stop(&p);

  if (p.output_total > 0) {
    r->output = p.output;  /* hand it over */
    p.output = NULL;
  }
  free(p.output);

  if (failed == 0 && note.verdict == NNG_PASSED && !p.failed) {
    r->verdict = NNG_PASSED;
    r->points = r->max_points;
    return;
  }
  r->verdict = note.verdict != NNG_PASSED ? note.verdict
             : p.failed ? NNG_CRASHED : NNG_FAILED;
  if (note.detail[0] != '\0')
    snprintf(r->detail, sizeof r->detail, "%s", note.detail);
  else if (p.failed)
    snprintf(r->detail, sizeof r->detail, "Your program %s.", p.reason);
  else
    snprintf(r->detail, sizeof r->detail, "%s",
             messages[0] ? messages : "The test failed.");
}

static size_t
count_tests(const nng_test *tests)
{
  size_t n = 0;
  while (tests != NULL && tests[n].name != NULL)
    n++;
  return n;
}

/* Describe test T in R before it runs. */
static void
describe_test(nng_test_result *r, const nng_test *t, int hidden)
{
  snprintf(r->name, sizeof r->name, "%s", t->name);
  snprintf(r->function, sizeof r->function, "%s", t->function ? t->function : "");
  r->hint = t->hint;
  r->hidden = hidden;
  r->max_points = t->points;
  r->verdict = NNG_NOT_RUN;
}

int
nng_exercise_result_init(nng_exercise_result *res, const nng_exercise *ex,
                         size_t n_tests)
{
  memset(res, 0, sizeof *res);
  res->exercise = ex;
  res->weight = 1.0;
  res->n_tests = n_tests;
  res->tests = calloc(n_tests ? n_tests : 1, sizeof *res->tests);
  if (res->tests == NULL) {
    res->status = NNG_EX_GRADER_ERROR;
    snprintf(res->reason, sizeof res->reason, "out of memory");
    return -1;
  }
  return 0;
}

void
nng_exercise_result_total(nng_exercise_result *res)
{
  res->score = res->max_score = 0.0;
  for (size_t i = 0; i < res->n_tests; i++) {
    res->score += res->tests[i].points;
    res->max_score += res->tests[i].max_points;
  }
}

int
nng_grade_exercise(const nng_config *cfg, const nng_exercise *ex,
                   const nng_test *hidden, const char *source,
                   nng_exercise_result *res)
{
  double start = nng_now();
  size_t n_public = count_tests(ex->tests), n_hidden = count_tests(hidden);
  if (nng_exercise_result_init(res, ex, n_public + n_hidden) != 0)
    return -1;
  /* the tests in the order they run: public, then hidden */
  const nng_test *order[512];
  size_t n = 0;
  for (size_t i = 0; i < n_public && n < 512; i++, n++) {
    order[n] = &ex->tests[i];
    describe_test(&res->tests[n], &ex->tests[i], 0);
  }
  for (size_t i = 0; i < n_hidden && n < 512; i++, n++) {
    order[n] = &hidden[i];
    describe_test(&res->tests[n], &hidden[i], 1);
  }
  res->n_tests = n;
  nng_exercise_result_total(res);
  if (source == NULL || source[0] == '\0') {
    res->status = NNG_EX_MISSING;
    snprintf(res->reason, sizeof res->reason, "%s was not found", ex->source);
    return 0;
  }
  snprintf(res->source, sizeof res->source, "%s", source);

  const char *tmp = getenv("TMPDIR");
  /* The scratch folder: build/, where the compiler (as the sandbox user)
   * makes the probe, then taken back; run/, the probes' working folder. */
  char scratch[1024], build[1100], path[1200], rundir[1200], probe[1200];
  snprintf(scratch, sizeof scratch, "%s/nngrade-XXXXXX",
           tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(scratch) == NULL) {
    res->status = NNG_EX_GRADER_ERROR;
    snprintf(res->reason, sizeof res->reason, "cannot create a scratch folder in "
             "%s: %s", tmp ? tmp : "/tmp", strerror(errno));
    return -1;
  }
  snprintf(build, sizeof build, "%s/build", scratch);
  snprintf(path, sizeof path, "%s/%s", build, ex->source);
  snprintf(rundir, sizeof rundir, "%s/run", scratch);
  snprintf(probe, sizeof probe, "%s/probe", build);
  int status = 0;
  if (chmod(scratch, 0711) != 0 || mkdir(build, 0700) != 0 || nng_sandbox_give(build) != 0
      || mkdir(rundir, 0700) != 0 || nng_sandbox_give(rundir) != 0) {
    res->status = NNG_EX_GRADER_ERROR;
    snprintf(res->reason, sizeof res->reason, "cannot prepare the scratch folder %s: "
             "%s", scratch, strerror(errno));
    status = -1;
  } else if (copy_source(source, path, res->reason, sizeof res->reason) != 0) {
    res->status = NNG_EX_MISSING;
  } else if (compile(cfg, ex, build, res) == 0) {
    if (nng_sandbox_take(build) != 0) {
      res->status = NNG_EX_GRADER_ERROR;
      snprintf(res->reason, sizeof res->reason, "cannot take back %s: %s", build,
               strerror(errno));
      status = -1;
    } else {
      /* one sandbox for the exercise's tests, a fresh probe for each */
      nng_probe_box box;
      res->status = NNG_EX_GRADED;
      nng_probe_box_open(&box, probe, rundir, &cfg->test_limits);
      for (size_t i = 0; i < n; i++)
        grade_test(order[i], &box, &res->tests[i]);
      nng_probe_box_close(&box);
    }
  } else if (res->status == NNG_EX_GRADER_ERROR) {
    status = -1;
  }
  nng_sandbox_remove(scratch);
  nng_exercise_result_total(res);
  res->seconds = nng_now() - start;
  return status;
}

void
nng_exercise_result_free(nng_exercise_result *res)
{
  if (res == NULL)
    return;
  if (res->tests != NULL)
    for (size_t i = 0; i < res->n_tests; i++)
      free(res->tests[i].output);
  free(res->tests);
  free(res->compiler_output);
  res->tests = NULL;
  res->compiler_output = NULL;
}
