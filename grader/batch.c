/* batch.c: grading a class (see batch.h). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <nn/plot.h>

#include "batch.h"
#include "hidden.h"
#include "rubric.h"
#include "state.h"
#include "unpack.h"

static const char *program = "nngrade";

/* ===== Entries ===== */

typedef struct entry {
  char name[256];       /* the student */
  char file[256];       /* safe file stem for feedback and state */
  char path[1400];      /* the folder or archive */
  int archive;          /* 1: unpack first */
} entry;

/* A name as a file name: anything but [A-Za-z0-9._-] becomes '_'. */
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
  if (out[0] == '.' || out[0] == '\0')
    out[0] = '_';
}

/* The entries of SUBMISSIONS, sorted by name; NULL with a message on error. */
static entry *
find_entries(const char *submissions, size_t *count)
{
  struct dirent **list = NULL;
  int n = scandir(submissions, &list, NULL, alphasort);
  if (n < 0) {
    fprintf(stderr, "%s: cannot read the submissions folder %s: %s\n", program,
            submissions, strerror(errno));
    return NULL;
  }
  entry *e = calloc(n > 0 ? (size_t) n : 1, sizeof *e);
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    const char *name = list[i]->d_name;
    if (e == NULL || name[0] == '.') {
      free(list[i]);
      continue;
    }
    entry *x = &e[k];
    snprintf(x->path, sizeof x->path, "%s/%s", submissions, name);
    char student[256];
    nng_entry_kind kind = nng_submission_kind(x->path, student, sizeof student);
    if (kind == NNG_ENTRY_OTHER) {
      fprintf(stderr, "%s: %s: not a folder, .tar.gz or .zip: skipped\n", program,
              x->path);
      free(list[i]);
      continue;
    }
    x->archive = kind == NNG_ENTRY_TAR_GZ || kind == NNG_ENTRY_ZIP;
    snprintf(x->name, sizeof x->name, "%s", student);
    safe_name(student, x->file, sizeof x->file);
    /* Two entries for one student (alice/ and alice.zip), or two names
     * that make the same file name: the first one wins, loudly. */
    int clash = 0;
    for (size_t j = 0; j < k; j++)
      if (strcmp(e[j].name, x->name) == 0 || strcmp(e[j].file, x->file) == 0) {
        fprintf(stderr, "%s: %s and %s are both the submission of %s: grading "
                "only the first\n", program, e[j].path, x->path, x->name);
        clash = 1;
      }
    if (!clash)
      k++;
    free(list[i]);
  }
  free(list);
  if (e == NULL)
    fprintf(stderr, "%s: out of memory\n", program);
  *count = k;
  return e;
}

/* ===== One student, in a worker process ===== */

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) ftw;
  if (flag == FTW_DP)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

/* Grade the exercises of the folder ROOT into S. */
static void
grade_folder(const nng_config *cfg, const char *root, const nng_hidden *hidden,
             int only, nng_student *s, const char *unpack_problem)
{
  char path[1400];
  for (size_t e = 0; e < nng_n_exercises && s->n < NNG_MAX_EXERCISES; e++) {
    const nng_exercise *ex = &nng_exercises[e];
    if (only != 0 && ex->number != only)
      continue;
    nng_exercise_result *r = &s->res[s->n++];
    char refused[512] = "";
    int found = root != NULL
                && nng_locate_source(root, ex, path, sizeof path, refused, sizeof refused) == 1;
    nng_grade_exercise(cfg, ex, hidden ? hidden->tests[e] : NULL, found ? path : NULL,
                       r);
    if (refused[0] != '\0')  /* a link that leads out of the submission */
      snprintf(r->reason, sizeof r->reason, "%s", refused);
    else if (!found && unpack_problem != NULL && unpack_problem[0] != '\0')
      snprintf(r->reason, sizeof r->reason, "%s", unpack_problem);
    if (found) /* the feedback names the file inside the submission */
      snprintf(r->source, sizeof r->source, "%s", path + strlen(root) + 1);
  }
}

/* The worker: grade entry X and write its state file. Exit status 0 when the
 * state file was written. */
static int
grade_entry(const nng_config *cfg, const entry *x, const nng_hidden *hidden, int only,
     const char *state_path)
{
  nng_student s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "%s", x->name);
  snprintf(s.entry, sizeof s.entry, "%s", x->path);
  if (!x->archive) {
    grade_folder(cfg, x->path, hidden, only, &s, NULL);
  } else {
    const char *tmp = getenv("TMPDIR");
    char scratch[1024], why[1024] = "";
    snprintf(scratch, sizeof scratch, "%s/nngrade-unpack-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(scratch) == NULL) {
      fprintf(stderr, "%s: %s: cannot create a scratch folder: %s\n", program, x->name,
              strerror(errno));
      return 3;
    }
    int unpacked = nng_unpack(x->path, scratch, NULL, why, sizeof why);
    char root[1400];
    nng_submission_root(scratch, root, sizeof root);
    if (unpacked != 0)  /* skipped entries (1) or an archive that failed (-1) */
      fprintf(stderr, "%s: %s\n", program, why);
    grade_folder(cfg, root, hidden, only, &s, why);
    nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  }
  int status = nng_state_write(state_path, &s) == 0 ? 0 : 3;
  if (status != 0)
    fprintf(stderr, "%s: %s: cannot write %s: %s\n", program, x->name, state_path,
            strerror(errno));
  nng_student_free(&s);
  return status;
}

/* ===== Progress ===== */

static void
progress(int tty, size_t done, size_t total, const char *name, double start)
{
  if (!tty) {
    fprintf(stderr, "%s: graded %s (%zu/%zu)\n", program, name, done, total);
    return;
  }
  int width = 30, filled = total ? (int) (width * done / total) : width;
  double elapsed = nng_now() - start;
  fprintf(stderr, "\r[%.*s%.*s] %zu/%zu  %.1f/min  %-24.24s", filled,
          "##############################", width - filled,
          "                              ", done, total,
          elapsed > 0 ? 60.0 * (double) done / elapsed : 0.0, name);
  if (done == total)
    fputc('\n', stderr);
}

/* ===== Outputs ===== */

/* Write FILE atomically: a temporary name, then rename. */
typedef struct out_file {
  char path[1600], tmp[1700];
  FILE *f;
} out_file;

static FILE *
out_open(out_file *o, const char *path)
{
  snprintf(o->path, sizeof o->path, "%s", path);
  snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long) getpid());
  o->f = fopen(o->tmp, "w");
  if (o->f == NULL)
    fprintf(stderr, "%s: cannot write %s: %s\n", program, o->tmp, strerror(errno));
  return o->f;
}

static int
out_close(out_file *o)
{
  if (o->f == NULL)
    return -1;
  int bad = ferror(o->f);
  if (fclose(o->f) != 0)
    bad = 1;
  o->f = NULL;
  if (bad || rename(o->tmp, o->path) != 0) {
    fprintf(stderr, "%s: cannot write %s: %s\n", program, o->path, strerror(errno));
    unlink(o->tmp);
    return -1;
  }
  return 0;
}

/* What the summary gathers. */
typedef struct stats {
  double percent[NNG_MAX_EXERCISES][2048];  /* scores in percent, per exercise */
  size_t n[NNG_MAX_EXERCISES];
  struct failing {
    int exercise;
    char name[96];
    int hidden;
    size_t failed, seen;
  } tests[1024];
  size_t n_tests;
} stats;

static void
count_test(stats *st, int exercise, const nng_test_result *t)
{
  size_t k = 0;
  while (k < st->n_tests
         && !(st->tests[k].exercise == exercise && strcmp(st->tests[k].name, t->name) == 0))
    k++;
  if (k == st->n_tests) {
    if (k == sizeof st->tests / sizeof st->tests[0])
      return;
    st->n_tests++;
    st->tests[k].exercise = exercise;
    snprintf(st->tests[k].name, sizeof st->tests[k].name, "%s", t->name);
    st->tests[k].hidden = t->hidden;
    st->tests[k].failed = st->tests[k].seen = 0;
  }
  st->tests[k].seen++;
  st->tests[k].failed += t->verdict != NNG_PASSED;
}

static int
by_failures(const void *a, const void *b)
{
  const struct failing *x = a, *y = b;
  if (x->failed != y->failed)
    return x->failed < y->failed ? 1 : -1;
  if (x->exercise != y->exercise)
    return x->exercise - y->exercise;
  return strcmp(x->name, y->name);
}

static int
by_value(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A histogram of exercise E's scores, in ten bins of 10%. */
static void
histogram(const char *dir, const nng_exercise *ex, const double *percent, size_t n)
{
  char name[64], title[256];
  snprintf(name, sizeof name, "scores-%s", ex->folder);
  double counts[10] = {0};
  for (size_t i = 0; i < n; i++) {
    int bin = (int) (percent[i] / 10.0);
    counts[bin < 0 ? 0 : bin > 9 ? 9 : bin] += 1;
  }
  static const char *const labels[10] = {"0-9", "10-19", "20-29", "30-39", "40-49",
                                         "50-59", "60-69", "70-79", "80-89", "90-100"};
  nn_plot *p = nn_plot_alloc(dir, name);
  if (p == NULL)
    return;
  snprintf(title, sizeof title, "Exercise %d: %s (%zu students)", ex->number, ex->title, n);
  nn_plot_title(p, title);
  nn_plot_labels(p, "score (% of the points)", "students");
  /* Students come in whole numbers: integer ticks, about ten of them. */
  double most = 1;
  for (int b = 0; b < 10; b++)
    most = counts[b] > most ? counts[b] : most;
  nn_plot_set(p, "ytics %d", (int) ceil(most / 10.0));
  nn_plot_set(p, "yrange [0:%g]", most + 0.5);
  nn_plot_set(p, "key off");
  nn_plot_bars(p, NULL, labels, counts, 10, NULL);
  nn_plot_write(p);
  if (nn_plot_gnuplot_available()) {
    nn_plot_render(p, "svg");
    nn_plot_render(p, "png");
  }
  nn_plot_free(p);
}

static void
write_summary(const char *out, const stats *st, size_t students, size_t ungraded,
              const int *exercises, size_t n_ex)
{
  char path[1600], dir[1500];
  snprintf(dir, sizeof dir, "%s/summary", out);
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/summary.md", out);
  out_file o;
  FILE *f = out_open(&o, path);
  if (f == NULL)
    return;
  fprintf(f, "# Summary\n\n%zu students", students);
  if (ungraded > 0)
    fprintf(f, ", %zu not graded (rerun the same command to retry them)", ungraded);
  fputs(".\n\n## Scores per exercise\n\n", f);
  fputs("| exercise | students | mean | median | min | max | histogram |\n", f);
  fputs("|---|---|---|---|---|---|---|\n", f);
  for (size_t k = 0; k < n_ex; k++) {
    size_t e = (size_t) exercises[k];
    const nng_exercise *ex = &nng_exercises[e];
    size_t n = st->n[e];
    double sorted[2048], sum = 0;
    memcpy(sorted, st->percent[e], n * sizeof sorted[0]);
    qsort(sorted, n, sizeof sorted[0], by_value);
    for (size_t i = 0; i < n; i++)
      sum += sorted[i];
    if (n == 0) {
      fprintf(f, "| %d. %s | 0 | | | | | |\n", ex->number, ex->title);
      continue;
    }
    double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    fprintf(f, "| %d. %s | %zu | %.1f%% | %.1f%% | %.1f%% | %.1f%% | "
            "[svg](summary/scores-%s.svg) |\n", ex->number, ex->title, n, sum / n,
            median, sorted[0], sorted[n - 1], ex->folder);
    histogram(dir, ex, st->percent[e], n);
  }
  struct failing sorted[1024];
  memcpy(sorted, st->tests, st->n_tests * sizeof sorted[0]);
  qsort(sorted, st->n_tests, sizeof sorted[0], by_failures);
  fputs("\n## The tests most students fail\n\n| exercise | test | failed by |\n"
        "|---|---|---|\n", f);
  for (size_t k = 0; k < st->n_tests && k < 15 && sorted[k].failed > 0; k++)
    fprintf(f, "| %d | %s%s | %zu of %zu (%.0f%%) |\n", sorted[k].exercise,
            sorted[k].hidden ? "hidden: " : "", sorted[k].name, sorted[k].failed,
            sorted[k].seen, 100.0 * (double) sorted[k].failed / (double) sorted[k].seen);
  out_close(&o);
}

/* Make every output from the state files. Returns the number of students
 * without one. */
static size_t
assemble(const nng_batch_options *opt, const entry *e, size_t n_entries,
         const nng_rubric *rubric, const nng_hidden *hidden, const int *exercises,
         size_t n_ex)
{
  char path[1600];
  snprintf(path, sizeof path, "%s/grades.csv", opt->out);
  out_file csv_file;
  FILE *csv = out_open(&csv_file, path);
  if (csv == NULL)
    return n_entries;
  fputs("student", csv);
  for (size_t k = 0; k < n_ex; k++)
    fprintf(csv, ",%s", nng_exercises[exercises[k]].folder);
  if (rubric->has_deadline)
    fputs(",days_late,late_factor", csv);
  fputs(",total\n", csv);

  stats *st = calloc(1, sizeof *st);
  size_t ungraded = 0;
  for (size_t i = 0; i < n_entries; i++) {
    nng_student s;
    char why[1024];
    snprintf(path, sizeof path, "%s/.nngrade/state/%s.state", opt->out, e[i].file);
    nng_csv_field(csv, e[i].name);
    if (nng_state_read(path, &s, hidden->tests, why, sizeof why) != 0) {
      /* not graded: a row all the same, with empty cells */
      for (size_t k = 0; k < n_ex; k++)
        fputc(',', csv);
      fputs(rubric->has_deadline ? ",,,\n" : ",\n", csv);
      ungraded++;
      continue;
    }
    nng_rubric_apply(rubric, &s);
    int days;
    double factor = nng_rubric_late_factor(rubric, s.name, &days), total = 0;
    for (size_t k = 0; k < n_ex; k++) {
      const nng_exercise_result *r = NULL;
      for (size_t j = 0; j < s.n; j++)
        if (s.res[j].exercise == &nng_exercises[exercises[k]])
          r = &s.res[j];
      double grade = r ? r->score * r->weight : 0.0;
      total += grade;
      fprintf(csv, ",%g", grade);
      if (st != NULL && r != NULL && st->n[exercises[k]] < 2048) {
        st->percent[exercises[k]][st->n[exercises[k]]++] =
          r->max_score > 0 ? 100.0 * r->score / r->max_score : 0.0;
        for (size_t t = 0; t < r->n_tests && r->status != NNG_EX_MISSING; t++)
          count_test(st, r->exercise->number, &r->tests[t]);
      }
    }
    if (rubric->has_deadline)
      fprintf(csv, ",%d,%g", days, factor);
    fprintf(csv, ",%g\n", total * factor);

    char title[512];
    snprintf(title, sizeof title, "Feedback for %s", s.name);
    out_file o;
    snprintf(path, sizeof path, "%s/feedback/%s.md", opt->out, e[i].file);
    if (out_open(&o, path) != NULL) {
      nng_report_write(o.f, title, s.res, s.n, opt->hidden_view, days, factor);
      out_close(&o);
    }
    snprintf(path, sizeof path, "%s/results/%s.json", opt->out, e[i].file);
    if (out_open(&o, path) != NULL) {
      nng_results_json(o.f, s.res, s.n, opt->hidden_view, days, factor);
      out_close(&o);
    }
    nng_student_free(&s);
  }
  out_close(&csv_file);
  if (st != NULL)
    write_summary(opt->out, st, n_entries, ungraded, exercises, n_ex);
  free(st);
  return ungraded;
}

/* ===== The batch ===== */

static int
make_dir(const char *path)
{
  if (mkdir(path, 0755) == 0 || errno == EEXIST)
    return 0;
  fprintf(stderr, "%s: cannot create %s: %s\n", program, path, strerror(errno));
  return -1;
}

static int
setup_outputs(const char *out)
{
  static const char *const subs[] = {"", "/feedback", "/results", "/.nngrade",
                                     "/.nngrade/state", "/.nngrade/hidden"};
  char path[1500];
  for (size_t k = 0; k < sizeof subs / sizeof subs[0]; k++) {
    snprintf(path, sizeof path, "%s%s", out, subs[k]);
    if (make_dir(path) != 0)
      return -1;
  }
  return 0;
}

/* Load the rubric and the hidden tests; 0, or -1 with a message printed. */
static int
load_setup(const nng_config *cfg, const char *hidden_dir, const char *rubric_path,
           const char *work, nng_hidden *hidden, nng_rubric *rubric)
{
  char why[8192];
  memset(hidden, 0, sizeof *hidden);
  nng_rubric_init(rubric);
  if (hidden_dir != NULL && nng_hidden_load(hidden, cfg, hidden_dir, work, why,
                                            sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", program, why);
    return -1;
  }
  if (rubric_path != NULL
      && (nng_rubric_load(rubric, rubric_path, why, sizeof why) != 0
          || nng_rubric_check(rubric, hidden->tests, why, sizeof why) != 0)) {
    fprintf(stderr, "%s: %s\n", program, why);
    nng_hidden_free(hidden);
    nng_rubric_free(rubric);
    return -1;
  }
  return 0;
}

int
nng_batch_run(const nng_config *cfg, const nng_batch_options *opt)
{
  int exercises[NNG_MAX_EXERCISES];
  size_t n_ex = 0;
  for (size_t e = 0; e < nng_n_exercises; e++)
    if (opt->only == 0 || nng_exercises[e].number == opt->only)
      exercises[n_ex++] = (int) e;
  if (n_ex == 0) {
    fprintf(stderr, "%s: there is no exercise %d\n", program, opt->only);
    return 2;
  }
  size_t n_entries = 0;
  entry *e = find_entries(opt->submissions, &n_entries);
  if (e == NULL)
    return 2;
  char work[1500], state[1600];
  if (setup_outputs(opt->out) != 0) {
    free(e);
    return 2;
  }
  snprintf(work, sizeof work, "%s/.nngrade/hidden", opt->out);
  nng_hidden hidden;
  nng_rubric rubric;
  if (load_setup(cfg, opt->hidden_dir, opt->rubric, work, &hidden, &rubric) != 0) {
    free(e);
    return 2;
  }
  /* The sandbox, chosen once before the workers. */
  nng_sandbox_kind sandbox = nng_sandbox_init();
  if (!opt->quiet || sandbox == NNG_SANDBOX_USER || sandbox == NNG_SANDBOX_NONE)
    fprintf(stderr, "%s: %s\n", program, nng_sandbox_describe());
  nng_sandbox_warn_readable(opt->hidden_dir, "the hidden tests");

  /* Who still needs grading. */
  size_t *todo = calloc(n_entries ? n_entries : 1, sizeof *todo), n_todo = 0;
  for (size_t i = 0; todo != NULL && i < n_entries; i++) {
    snprintf(state, sizeof state, "%s/.nngrade/state/%s.state", opt->out, e[i].file);
    if (opt->force || access(state, F_OK) != 0)
      todo[n_todo++] = i;
  }
  int tty = isatty(2) && !opt->quiet;
  if (!opt->quiet && n_todo < n_entries)
    fprintf(stderr, "%s: %zu of %zu students already graded; grading the other %zu "
            "(--force grades everyone again)\n", program, n_entries - n_todo, n_entries,
            n_todo);

  /* The workers, opt->jobs at a time. */
  int failures = 0;
  double start = nng_now();
  size_t next = 0, running = 0, done = 0;
  pid_t *pids = calloc(n_entries ? n_entries : 1, sizeof *pids);
  while (todo != NULL && pids != NULL && (next < n_todo || running > 0)) {
    while (next < n_todo && running < (size_t) opt->jobs) {
      size_t i = todo[next];
      snprintf(state, sizeof state, "%s/.nngrade/state/%s.state", opt->out, e[i].file);
      fflush(stderr);
      pid_t pid = fork();
      if (pid == 0)
        _exit(grade_entry(cfg, &e[i], &hidden, opt->only, state));
      if (pid < 0) {
        fprintf(stderr, "%s: cannot start a worker: %s\n", program, strerror(errno));
        failures++;
        next = n_todo;
        break;
      }
      pids[i] = pid;
      next++;
      running++;
    }
    if (running == 0)
      break;
    int status;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (size_t k = 0; k < n_entries; k++) {
      if (pids[k] != pid)
        continue;
      running--;
      done++;
      pids[k] = 0;
      if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        failures++;
        if (tty)
          fputc('\n', stderr);
        fprintf(stderr, "%s: %s: the grader failed (%s %d); rerun to retry\n", program,
                e[k].name, WIFSIGNALED(status) ? "signal" : "exit status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      }
      if (!opt->quiet)
        progress(tty, done, n_todo, e[k].name, start);
      break;
    }
  }
  free(pids);
  free(todo);

  size_t ungraded = assemble(opt, e, n_entries, &rubric, &hidden, exercises, n_ex);
  if (!opt->quiet) {
    double minutes = (nng_now() - start) / 60.0;
    fprintf(stderr, "%s: %zu students in %s/grades.csv", program, n_entries, opt->out);
    if (done > 0 && minutes > 0)
      fprintf(stderr, " (%zu graded now, %.1f per minute)", done, done / minutes);
    fputc('\n', stderr);
  }
  nng_hidden_free(&hidden);
  nng_rubric_free(&rubric);
  free(e);
  return ungraded > 0 || failures > 0 ? 1 : 0;
}

int
nng_gradescope_run(const nng_config *cfg, const char *submission, const char *results,
                   const char *hidden_dir, const char *rubric_path, nng_hidden_view view)
{
  char work[] = "/tmp/nngrade-gradescope-XXXXXX";
  if (mkdtemp(work) == NULL) {
    fprintf(stderr, "%s: cannot create a scratch folder: %s\n", program, strerror(errno));
    return 2;
  }
  nng_hidden hidden;
  nng_rubric rubric;
  int status = 2;
  if (load_setup(cfg, hidden_dir, rubric_path, work, &hidden, &rubric) == 0) {
    nng_student s;
    memset(&s, 0, sizeof s);
    char root[1400];  /* a submission of one folder: the folder */
    nng_submission_root(submission, root, sizeof root);
    grade_folder(cfg, root, &hidden, 0, &s, NULL);
    nng_rubric_apply(&rubric, &s);
    out_file o;
    if (out_open(&o, results) != NULL) {
      nng_results_json(o.f, s.res, s.n, view, 0, 1.0);
      status = out_close(&o) == 0 ? 0 : 2;
    }
    nng_student_free(&s);
    nng_hidden_free(&hidden);
    nng_rubric_free(&rubric);
  }
  nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return status;
}
