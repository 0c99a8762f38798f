/* nngrade: grade nncourse exercises.
 *
 *   nngrade check [--exercise N] [DIR]      a student's own work (default: .)
 *   nngrade batch SUBMISSIONS [--out DIR]   a class: one folder per student
 *   nngrade list                            the exercises and their tests
 *
 * Student code never runs in this process: see grade.h and sandbox.h.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gsl/gsl_errno.h>

#include "grade.h"
#include "report.h"

static const char *program = "nngrade";

static void
usage(FILE *f)
{
  fprintf(f,
"Usage: nngrade check [OPTIONS] [DIR]\n"
"       nngrade batch [OPTIONS] SUBMISSIONS [--out DIR]\n"
"       nngrade list\n"
"\n"
"Grade nncourse exercises with their public tests. Each test runs the\n"
"student's code in a separate process under time, memory and output limits;\n"
"a crash or an endless loop fails that test only.\n"
"\n"
"Commands:\n"
"  check [DIR]        grade the exercises found in DIR (default: the current\n"
"                     folder), as exerciseN.c or exNN/exerciseN.c, and print a\n"
"                     report; exit status 0 only at full marks\n"
"  batch SUBMISSIONS  grade every sub-folder of SUBMISSIONS (one per student);\n"
"                     write DIR/grades.csv (one row per student) and\n"
"                     DIR/feedback/STUDENT.md\n"
"  list               list the exercises and their tests with points\n"
"\n"
"Options:\n"
"  -e, --exercise N    grade exercise N only\n"
"  -o, --out DIR       batch: the output folder (default: nngrade-out)\n"
"      --cpu-limit S   CPU seconds per test (default 2)\n"
"      --wall-limit S  wall-clock seconds per test (default 5)\n"
"      --memory-limit MIB  address space per test in MiB (default 512)\n"
"  -q, --quiet         batch: no progress lines\n"
"  -h, --help          show this help\n"
"\n"
"Environment: NNGRADE_EXERCISES_DIR (exercise headers), NNGRADE_PROBE_DIR\n"
"(probe libraries) and NNGRADE_CC (compiler) override the installed ones.\n");
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

/* The exercises to grade: one, or all. */
static size_t
select_exercises(int only, const nng_exercise **list)
{
  size_t n = 0;
  for (size_t e = 0; e < nng_n_exercises; e++)
    if (only == 0 || nng_exercises[e].number == only)
      list[n++] = &nng_exercises[e];
  return n;
}

/* Grade the selected exercises of the submission in DIR. With MISSING_OK 0,
 * an exercise whose source is not found is left out of RES. Returns the
 * number of results. */
static size_t
grade_folder(const nng_config *cfg, const char *dir, const nng_exercise **list,
             size_t n, int missing_ok, nng_exercise_result *res, int *grader_failed)
{
  size_t k = 0;
  char path[1024];
  for (size_t e = 0; e < n; e++) {
    int found = nng_find_source(dir, list[e], path, sizeof path);
    if (!found && !missing_ok)
      continue;
    if (nng_grade_exercise(cfg, list[e], found ? path : NULL, &res[k]) != 0)
      *grader_failed = 1;
    k++;
  }
  return k;
}

static int
cmd_check(const nng_config *cfg, const char *dir, int only)
{
  const nng_exercise *list[64];
  nng_exercise_result res[64];
  size_t n = select_exercises(only, list);
  if (n == 0) {
    char num[32];
    snprintf(num, sizeof num, "%d", only);
    return die_usage("there is no exercise %s", num);
  }
  int grader_failed = 0;
  size_t k = grade_folder(cfg, dir, list, n, only != 0, res, &grader_failed);
  if (k == 0) {
    fprintf(stderr, "%s: no exercise found in %s (looked for exerciseN.c and "
            "exNN/exerciseN.c)\n", program, dir);
    return 2;
  }
  nng_report_write(stdout, NULL, res, k);
  int full = 1;
  for (size_t i = 0; i < k; i++) {
    if (res[i].score < res[i].max_score)
      full = 0;
    nng_exercise_result_free(&res[i]);
  }
  if (grader_failed) {
    fprintf(stderr, "%s: the grader could not finish its work (see above)\n", program);
    return 2;
  }
  return full ? 0 : 1;
}

/* A student's name as a file name: anything but [A-Za-z0-9._-] becomes '_'. */
static void
safe_name(const char *name, char *out, size_t n)
{
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < n; i++) {
    char c = name[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
             || c == '.' || c == '_' || c == '-';
    out[i] = ok ? c : '_';
  }
  out[i] = '\0';
  if (out[0] == '.')
    out[0] = '_';
}

static int
make_dir(const char *path)
{
  if (mkdir(path, 0755) == 0 || errno == EEXIST)
    return 0;
  fprintf(stderr, "%s: cannot create %s: %s\n", program, path, strerror(errno));
  return -1;
}

static int
cmd_batch(const nng_config *cfg, const char *submissions, const char *out, int only,
          int quiet)
{
  const nng_exercise *list[64];
  size_t n = select_exercises(only, list);
  if (n == 0) {
    char num[32];
    snprintf(num, sizeof num, "%d", only);
    return die_usage("there is no exercise %s", num);
  }
  struct dirent **entries = NULL;
  int count = scandir(submissions, &entries, NULL, alphasort);
  if (count < 0) {
    fprintf(stderr, "%s: cannot read the submissions folder %s: %s\n", program,
            submissions, strerror(errno));
    return 2;
  }
  char path[1200], feedback_dir[1200], csv_path[1200];
  snprintf(feedback_dir, sizeof feedback_dir, "%s/feedback", out);
  snprintf(csv_path, sizeof csv_path, "%s/grades.csv", out);
  FILE *csv = NULL;
  if (make_dir(out) != 0 || make_dir(feedback_dir) != 0
      || (csv = fopen(csv_path, "w")) == NULL) {
    if (csv == NULL && errno != 0)
      fprintf(stderr, "%s: cannot write %s: %s\n", program, csv_path, strerror(errno));
    for (int i = 0; i < count; i++)
      free(entries[i]);
    free(entries);
    return 2;
  }
  nng_csv_header(csv);
  fflush(csv);

  int students = 0, grader_failed = 0;
  for (int i = 0; i < count; i++) {
    const char *name = entries[i]->d_name;
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", submissions, name);
    if (name[0] == '.' || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
      continue;
    nng_exercise_result res[64];
    size_t k = grade_folder(cfg, path, list, n, 1, res, &grader_failed);
    nng_csv_row(csv, name, res, k);
    fflush(csv);  /* a row is written as soon as its student is graded */

    char safe[256], fb[1600];
    safe_name(name, safe, sizeof safe);
    snprintf(fb, sizeof fb, "%s/%s.md", feedback_dir, safe);
    FILE *f = fopen(fb, "w");
    if (f != NULL) {
      char title[512];
      snprintf(title, sizeof title, "Feedback for %s", name);
      nng_report_write(f, title, res, k);
      fclose(f);
    } else {
      fprintf(stderr, "%s: cannot write %s: %s\n", program, fb, strerror(errno));
      grader_failed = 1;
    }
    double total = 0, max = 0;
    for (size_t j = 0; j < k; j++) {
      total += res[j].score;
      max += res[j].max_score;
      nng_exercise_result_free(&res[j]);
    }
    students++;
    if (!quiet)
      fprintf(stderr, "%s: %-24s %g/%g\n", program, name, total, max);
  }
  for (int i = 0; i < count; i++)
    free(entries[i]);
  free(entries);
  if (fclose(csv) != 0) {
    fprintf(stderr, "%s: cannot write %s: %s\n", program, csv_path, strerror(errno));
    return 2;
  }
  if (!quiet)
    fprintf(stderr, "%s: graded %d submission%s into %s\n", program, students,
            students == 1 ? "" : "s", csv_path);
  return grader_failed ? 2 : 0;
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

enum { OPT_CPU = 256, OPT_WALL, OPT_MEMORY };

/* Apply option C; returns -1 to go on, or the exit status to end with. */
static int
apply_option(int c, nng_config *cfg, int *only, const char **out, int *quiet)
{
  double v;
  switch (c) {
  case 'e': {
    char *end;
    long e = strtol(optarg, &end, 10);
    if (*optarg == '\0' || *end != '\0' || e <= 0 || e > 1000)
      return die_usage("--exercise wants an exercise number, not '%s'", optarg);
    *only = (int) e;
    return -1;
  }
  case 'o':
    *out = optarg;
    return -1;
  case 'q':
    *quiet = 1;
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

  nng_config cfg;
  nng_config_default(&cfg);
  int only = 0, quiet = 0;
  const char *out = "nngrade-out";
  static const struct option options[] = {
    {"exercise", required_argument, NULL, 'e'},
    {"out", required_argument, NULL, 'o'},
    {"cpu-limit", required_argument, NULL, OPT_CPU},
    {"wall-limit", required_argument, NULL, OPT_WALL},
    {"memory-limit", required_argument, NULL, OPT_MEMORY},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  /* Options may come before and after the command. */
  int c, status;
  while ((c = getopt_long(argc, argv, "+e:o:qh", options, NULL)) != -1)
    if ((status = apply_option(c, &cfg, &only, &out, &quiet)) >= 0)
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
  while ((c = getopt_long(argc, argv, "e:o:qh", options, NULL)) != -1)
    if ((status = apply_option(c, &cfg, &only, &out, &quiet)) >= 0)
      return status;
  int rest = argc - optind;
  if (strcmp(cmd, "check") == 0) {
    if (rest > 1)
      return die_usage("check takes one folder, not %s", "several");
    return cmd_check(&cfg, rest == 1 ? argv[optind] : ".", only);
  }
  if (strcmp(cmd, "batch") == 0) {
    if (rest != 1)
      return die_usage("batch takes %s", "one folder of submissions");
    return cmd_batch(&cfg, argv[optind], out, only, quiet);
  }
  if (strcmp(cmd, "list") == 0)
    return cmd_list();
  return die_usage("unknown command '%s'", cmd);
}
