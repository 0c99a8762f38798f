/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nngrade: grade nncourse exercises.
 *
 *   nngrade check [--exercise N] [DIR]          a student's own work (default: .)
 *   nngrade batch SUBMISSIONS --out DIR [...]   a class (batch.h)
 *   nngrade gradescope SUBMISSION RESULTS.json  one submission, for Gradescope
 *   nngrade list                                the exercises and their tests
 *   nngrade --version
 *
 * Student code never runs in this process: see grade.h and sandbox.h.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <gsl/gsl_errno.h>

#include "batch.h"
#include "grade.h"
#include "report.h"
#include "similar.h"

static const char *program = "nngrade";

static void
usage(FILE *f)
{
  fprintf(f,
"Usage: nngrade check [OPTIONS] [DIR]\n"
"       nngrade batch [OPTIONS] SUBMISSIONS --out DIR\n"
"       nngrade gradescope [OPTIONS] SUBMISSION RESULTS.json\n"
"       nngrade similar [--reference DIR] SUBMISSIONS\n"
"       nngrade list\n"
"\n"
"Grade nncourse exercises. Each test runs the student's code in a separate\n"
"process under time, memory and output limits, and judges what comes back\n"
"against the course's own library: a crash, an endless loop or fake output\n"
"fails that test only, and earns nothing.\n"
"\n"
"Commands:\n"
"  check [DIR]        grade the exercises found in DIR (default: the current\n"
"                     folder), as exerciseN.c or exNN/exerciseN.c, and print a\n"
"                     report (with --hidden, the hidden tests too); exit\n"
"                     status 0 only at full marks\n"
"  batch SUBMISSIONS  grade a class: SUBMISSIONS holds one folder, .tar.gz or\n"
"                     .zip per student; writes DIR/grades.csv, DIR/feedback/,\n"
"                     DIR/results/ (Gradescope JSON) and DIR/summary.md.\n"
"                     Rerun the same command after an interruption: it grades\n"
"                     only who is missing. It first checks that the grader\n"
"                     works (each exercise's stub compiles and runs), and stops\n"
"                     before grading anyone if not\n"
"  gradescope SUBMISSION RESULTS.json\n"
"                     grade one folder and write Gradescope's results.json\n"
"  similar SUBMISSIONS\n"
"                     rank pairs of submissions, and each submission against\n"
"                     the course library's code (and reference solutions given\n"
"                     with --reference DIR, laid out as DIR/exNN/exerciseN.c),\n"
"                     by the similarity of their token streams: names and\n"
"                     literals are abstracted, so renaming hides nothing.\n"
"                     Writes a Markdown report (to --out FILE, or stdout)\n"
"  list               the exercises and their tests, with points\n"
"\n"
"Options:\n"
"  -e, --exercise N    grade exercise N only\n"
"  -o, --out DIR       batch: the output folder (default: nngrade-out)\n"
"  -j, --jobs N        batch: students graded at once (default: the cores)\n"
"      --hidden DIR    hidden tests: DIR/exNN/*.c, cmocka suites like the\n"
"                      public ones, defining nng_hidden_tests[]\n"
"      --show-hidden names|full  feedback shows hidden tests by name, or in\n"
"                      full (default: only their number and score)\n"
"      --rubric FILE   points per test, weights per exercise, late penalty\n"
"      --roster FILE   batch: CSV with the header submission,id,email,section\n"
"                      and a row per student: grades.csv gets those columns\n"
"                      and a status; students without a submission get a row\n"
"                      of zeros marked missing\n"
"      --force         batch: grade every student again\n"
"      --cpu-limit S   CPU seconds per test (default 2)\n"
"      --wall-limit S  wall-clock seconds per test (default 5)\n"
"      --memory-limit MIB  address space per test in MiB (default 512)\n"
"  -q, --quiet         no progress\n"
"  -h, --help          show this help\n"
"      --version       show the version\n"
"\n"
"A rubric has one rule a line ('#' starts a comment):\n"
"  exercise 1 weight 2\n"
"  exercise 1 test dot_multiplies_then_sums 3\n"
"  deadline 2026-12-01 23:59          (UTC; or ISO 8601 with Z or +HH:MM)\n"
"  late-penalty-per-day 10            (percent of the total)\n"
"  late-penalty-max 50\n"
"  submission-times times.csv         (CSV: student,time; quoted names as in\n"
"                                      grades.csv; times as for the deadline)\n"
"\n"
"Student code runs in a sandbox: bubblewrap when installed; otherwise, as\n"
"root, namespaces and the user nobody; otherwise only limits (batch warns).\n"
"A submission that calls the course library's own functions (nn_*) or what\n"
"the exercise asks to write by hand (exercise 1: BLAS) earns nothing.\n"
"\n"
"nngrade run from its build folder (grader/nngrade after ./bootstrap) uses\n"
"that build's probe libraries and the source tree's headers; installed, the\n"
"installed ones. Environment: NNGRADE_EXERCISES_DIR, NNGRADE_PROBE_DIR,\n"
"NNGRADE_INCLUDE_DIR, NNGRADE_LIB_INCLUDE_DIR, NNGRADE_REFERENCE_DIR and\n"
"NNGRADE_CC override both; NNGRADE_NO_BWRAP=1 does without bubblewrap;\n"
"NNGRADE_SANDBOX_USER names the user student code runs as (default nobody).\n"
"Exit status: 0 success (check: full marks), 1 not full marks or some\n"
"students not graded, 2 usage or setup error.\n");
}

/* ===== Where nngrade finds what it compiles with =====
 *
 * Installed, nngrade uses the installed exercise headers, probe libraries
 * and grader headers. Run from its build folder (grader/nngrade after
 * ./bootstrap, or grader/.libs/ where libtool keeps the real program), it
 * uses that build's probe libraries and the source tree's headers, as
 * `make exerciseN` does: the TA's first try works before `make install`.
 * It knows the folder by the path of its own executable, compared with the
 * build folder it was compiled in. The NNGRADE_* variables override both.
 */
static void
use_build_tree(void)
{
#if defined NNGRADE_BUILD_DIR && defined NNGRADE_SOURCE_DIR
  char exe[PATH_MAX], here[PATH_MAX], built[PATH_MAX], probe[PATH_MAX + 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (slash == NULL)
    return;
  *slash = '\0';
  size_t len = strlen(exe);
  if (len > 6 && strcmp(exe + len - 6, "/.libs") == 0)
    exe[len - 6] = '\0';
  if (realpath(exe, here) == NULL || realpath(NNGRADE_BUILD_DIR "/grader", built) == NULL
      || strcmp(here, built) != 0)
    return;
  snprintf(probe, sizeof probe, "%s/libnngrade-%s.a", built, nng_exercises[0].folder);
  if (access(probe, R_OK) != 0)
    return;
  setenv("NNGRADE_EXERCISES_DIR", NNGRADE_SOURCE_DIR "/exercises", 0);
  setenv("NNGRADE_PROBE_DIR", built, 0);
  setenv("NNGRADE_INCLUDE_DIR", NNGRADE_SOURCE_DIR "/grader", 0);
  setenv("NNGRADE_LIB_INCLUDE_DIR", NNGRADE_SOURCE_DIR "/lib", 0);
  setenv("NNGRADE_REFERENCE_DIR", NNGRADE_SOURCE_DIR "/lib", 0);
#endif
}

static int
die_usage(const char *fmt, const char *arg)
{
  fprintf(stderr, "%s: ", program);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'nngrade --help'.\n");
  return 2;
}

static int
parse_positive(const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 1e6)
    return -1;
  *out = v;
  return 0;
}

/* ===== nngrade similar ===== */

#ifndef NNGRADE_REFERENCE_DIR
#define NNGRADE_REFERENCE_DIR "/usr/local/share/nncourse/reference"
#endif

/* Add every .c file of DIR as reference code for any exercise. */
static size_t
add_library_references(const char *dir, nng_similar_reference *refs, char (*paths)[1100],
                       size_t n, size_t max)
{
  struct dirent **list = NULL;
  int count = scandir(dir, &list, NULL, alphasort);
  for (int i = 0; i < count; i++) {
    size_t len = strlen(list[i]->d_name);
    if (n < max && len > 2 && strcmp(list[i]->d_name + len - 2, ".c") == 0) {
      snprintf(paths[n], sizeof paths[n], "%s/%s", dir, list[i]->d_name);
      refs[n].label = paths[n] + strlen(dir) + 1;
      refs[n].path = paths[n];
      refs[n].exercise = 0;
      n++;
    }
    free(list[i]);
  }
  free(list);
  return n;
}

static int
cmd_similar(const nng_config *cfg, const char *submissions, const char *reference,
            const char *out)
{
  struct dirent **list = NULL;
  int count = scandir(submissions, &list, NULL, alphasort);
  if (count < 0) {
    fprintf(stderr, "%s: cannot read the submissions folder %s: %s\n", program,
            submissions, strerror(errno));
    return 2;
  }
  size_t n_ex = nng_n_exercises, n_subs = 0;
  nng_similar_submission *subs = calloc((size_t) count + 1, sizeof *subs);
  nng_similar_file *files = calloc(((size_t) count + 1) * n_ex, sizeof *files);
  char (*paths)[1100] = calloc(((size_t) count + 1) * n_ex, sizeof *paths);
  char (*names)[256] = calloc((size_t) count + 1, sizeof *names);
  enum { MAX_REFS = 256 };
  nng_similar_reference refs[MAX_REFS];
  static char ref_paths[MAX_REFS][1100];
  nng_similar_file bases[64];
  static char base_paths[64][1100];
  size_t n_refs = 0, n_bases = 0;
  int status = 2;
  if (subs == NULL || files == NULL || paths == NULL || names == NULL) {
    fprintf(stderr, "%s: out of memory\n", program);
    goto done;
  }
  for (int i = 0; i < count; i++) {
    char dir[1400];
    struct stat st;
    snprintf(dir, sizeof dir, "%s/%s", submissions, list[i]->d_name);
    if (list[i]->d_name[0] == '.' || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
      continue;  /* folders only: unpack archives first (nngrade batch does) */
    nng_similar_submission *s = &subs[n_subs];
    snprintf(names[n_subs], sizeof names[n_subs], "%s", list[i]->d_name);
    s->name = names[n_subs];
    s->files = &files[n_subs * n_ex];
    for (size_t e = 0; e < n_ex; e++) {
      char *path = paths[n_subs * n_ex + s->n_files];
      if (nng_find_source(dir, &nng_exercises[e], path, 1100)) {
        files[n_subs * n_ex + s->n_files].exercise = nng_exercises[e].number;
        files[n_subs * n_ex + s->n_files].path = path;
        s->n_files++;
      }
    }
    n_subs++;
  }
  /* The stubs are the base code every student starts from. */
  for (size_t e = 0; e < n_ex && n_bases < 64; e++) {
    snprintf(base_paths[n_bases], sizeof base_paths[n_bases], "%s/%s/%s",
             cfg->exercises_dir, nng_exercises[e].folder, nng_exercises[e].source);
    bases[n_bases].exercise = nng_exercises[e].number;
    bases[n_bases].path = base_paths[n_bases];
    n_bases++;
  }
  const char *lib = getenv("NNGRADE_REFERENCE_DIR");
  n_refs = add_library_references(lib && lib[0] ? lib : NNGRADE_REFERENCE_DIR, refs,
                                  ref_paths, n_refs, MAX_REFS);
  for (size_t e = 0; reference != NULL && e < n_ex && n_refs < MAX_REFS; e++) {
    if (nng_find_source(reference, &nng_exercises[e], ref_paths[n_refs], 1100)) {
      refs[n_refs].label = ref_paths[n_refs];
      refs[n_refs].path = ref_paths[n_refs];
      refs[n_refs].exercise = nng_exercises[e].number;
      n_refs++;
    }
  }
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  nng_similar_result res;
  char why[512];
  if (nng_similar_run(subs, n_subs, bases, n_bases, refs, n_refs, &opt, &res, why,
                      sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", program, why);
  } else {
    FILE *f = out != NULL ? fopen(out, "w") : stdout;
    if (f == NULL) {
      fprintf(stderr, "%s: cannot write %s: %s\n", program, out, strerror(errno));
    } else {
      nng_similar_report_write(f, &res);
      status = (f != stdout ? fclose(f) : fflush(f)) == 0 ? 0 : 2;
      if (status != 0)
        fprintf(stderr, "%s: cannot write %s\n", program, out ? out : "the report");
    }
  }
  nng_similar_result_free(&res);
done:
  for (int i = 0; i < count; i++)
    free(list[i]);
  free(list);
  free(subs);
  free(files);
  free(paths);
  free(names);
  return status;
}

static int
cmd_list(void)
{
  for (size_t e = 0; e < nng_n_exercises; e++) {
    const nng_exercise *ex = &nng_exercises[e];
    printf("Exercise %d: %s (%s/%s)\n", ex->number, ex->title, ex->folder, ex->source);
    for (const nng_test *t = ex->tests; t->name != NULL; t++)
      printf("  %-44s %-24s %g\n", t->name, t->function, t->points);
  }
  return 0;
}

enum { OPT_CPU = 256, OPT_WALL, OPT_MEMORY, OPT_HIDDEN, OPT_SHOW_HIDDEN, OPT_RUBRIC,
       OPT_FORCE, OPT_REFERENCE, OPT_ROSTER, OPT_VERSION };

static const char *reference_dir;  /* nngrade similar --reference */

/* Apply option C; returns -1 to go on, or the exit status to end with. */
static int
apply_option(int c, nng_config *cfg, nng_batch_options *b)
{
  double v;
  char *end;
  switch (c) {
  case 'e': {
    long e = strtol(optarg, &end, 10);
    if (*optarg == '\0' || *end != '\0' || e <= 0 || e > 1000)
      return die_usage("--exercise wants an exercise number, not '%s'", optarg);
    if (nng_exercise_find((int) e) == NULL)
      return die_usage("there is no exercise %s (nngrade list shows them)", optarg);
    b->only = (int) e;
    return -1;
  }
  case 'j': {
    long j = strtol(optarg, &end, 10);
    if (*optarg == '\0' || *end != '\0' || j <= 0 || j > 256)
      return die_usage("--jobs wants a number from 1 to 256, not '%s'", optarg);
    b->jobs = (int) j;
    return -1;
  }
  case 'o': b->out = optarg; return -1;
  case 'q': b->quiet = 1; return -1;
  case OPT_HIDDEN: b->hidden_dir = optarg; return -1;
  case OPT_RUBRIC: b->rubric = optarg; return -1;
  case OPT_ROSTER: b->roster = optarg; return -1;
  case OPT_FORCE: b->force = 1; return -1;
  case OPT_REFERENCE: reference_dir = optarg; return -1;
  case OPT_SHOW_HIDDEN:
    if (strcmp(optarg, "names") == 0)
      b->hidden_view = NNG_HIDDEN_NAMES;
    else if (strcmp(optarg, "full") == 0)
      b->hidden_view = NNG_HIDDEN_FULL;
    else
      return die_usage("--show-hidden is 'names' or 'full', not '%s'", optarg);
    return -1;
  case OPT_CPU:
    if (parse_positive(optarg, &v) != 0)
      return die_usage("--cpu-limit wants a number of seconds, not '%s'", optarg);
    cfg->test_limits.cpu_seconds = v;
    return -1;
  case OPT_WALL:
    if (parse_positive(optarg, &v) != 0)
      return die_usage("--wall-limit wants a number of seconds, not '%s'", optarg);
    cfg->test_limits.wall_seconds = v;
    return -1;
  case OPT_MEMORY:
    if (parse_positive(optarg, &v) != 0 || v < 16)
      return die_usage("--memory-limit wants a number of MiB (16 or more), not '%s'",
                       optarg);
    cfg->test_limits.memory_bytes = (size_t) v << 20;
    return -1;
  case 'h':
    usage(stdout);
    return 0;
  case OPT_VERSION:
    printf("nngrade (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
    return 0;
  default:
    fprintf(stderr, "Try 'nngrade --help'.\n");
    return 2;
  }
}

int
main(int argc, char **argv)
{
  /* A probe that dies must not take nngrade with it through a broken pipe. */
  signal(SIGPIPE, SIG_IGN);
  gsl_set_error_handler_off();

  use_build_tree();
  nng_config cfg;
  nng_config_default(&cfg);
  nng_batch_options b;
  memset(&b, 0, sizeof b);
  b.out = "nngrade-out";
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  b.jobs = cores > 0 && cores < 256 ? (int) cores : 2;
  static const struct option options[] = {
    {"exercise", required_argument, NULL, 'e'},
    {"out", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},
    {"hidden", required_argument, NULL, OPT_HIDDEN},
    {"show-hidden", required_argument, NULL, OPT_SHOW_HIDDEN},
    {"rubric", required_argument, NULL, OPT_RUBRIC},
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"force", no_argument, NULL, OPT_FORCE},
    {"reference", required_argument, NULL, OPT_REFERENCE},
    {"cpu-limit", required_argument, NULL, OPT_CPU},
    {"wall-limit", required_argument, NULL, OPT_WALL},
    {"memory-limit", required_argument, NULL, OPT_MEMORY},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
  };
  static const char *const shortopts = "e:o:j:qh";
  /* Options may come before and after the command. */
  int c, status;
  while ((c = getopt_long(argc, argv, "+e:o:j:qh", options, NULL)) != -1)
    if ((status = apply_option(c, &cfg, &b)) >= 0)
      return status;
  if (optind >= argc) {
    usage(stderr);
    return 2;
  }
  /* Then parse the command's own arguments, as if it were the program. */
  const char *cmd = argv[optind];
  argc -= optind;
  argv += optind;
  optind = 0;  /* restart getopt on the new vector */
  while ((c = getopt_long(argc, argv, shortopts, options, NULL)) != -1)
    if ((status = apply_option(c, &cfg, &b)) >= 0)
      return status;
  int rest = argc - optind;
  if (strcmp(cmd, "check") == 0) {
    if (rest > 1)
      return die_usage("check takes one folder, not %s", "several");
    return nng_check_run(&cfg, rest == 1 ? argv[optind] : ".", b.only, b.hidden_dir,
                         b.rubric, b.hidden_view);
  }
  if (strcmp(cmd, "batch") == 0) {
    if (rest != 1)
      return die_usage("batch takes %s", "one folder of submissions");
    b.submissions = argv[optind];
    return nng_batch_run(&cfg, &b);
  }
  if (strcmp(cmd, "gradescope") == 0) {
    if (rest != 2)
      return die_usage("gradescope takes %s", "a submission folder and a results file");
    return nng_gradescope_run(&cfg, argv[optind], argv[optind + 1], b.hidden_dir,
                              b.rubric, b.hidden_view);
  }
  if (strcmp(cmd, "similar") == 0) {
    if (rest != 1)
      return die_usage("similar takes %s", "one folder of submissions");
    return cmd_similar(&cfg, argv[optind], reference_dir,
                       strcmp(b.out, "nngrade-out") == 0 ? NULL : b.out);
  }
  if (strcmp(cmd, "list") == 0)
    return cmd_list();
  return die_usage("unknown command '%s'", cmd);
}
