/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rubric.c: points, weights and late penalties (see rubric.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "rubric.h"

void
nng_rubric_init(nng_rubric *r)
{
  memset(r, 0, sizeof *r);
  r->max_penalty = 1.0;
}

void
nng_rubric_free(nng_rubric *r)
{
  free(r->rules);
  free(r->times);
  nng_rubric_init(r);
}

/* ===== Times =====
 * ISO 8601, as a TA writes it and as spreadsheets and grades.csv's readers
 * export it: "2026-12-01 23:59", "2026-12-01T23:59:30", then optionally "Z"
 * (UTC) or the offset from UTC, "+01:00" or "-05:00"; without either, the
 * time is UTC. Every field has its exact number of digits and the date must
 * be one of the calendar ("2026-02-31" is not); nothing may follow. A time
 * that is not exactly this is refused, never guessed: a guess would move a
 * deadline or a submission by hours, silently. */

static int
days_in_month(int year, int month)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

/* Read exactly N digits at *P into *V and move past them; 1 when there were. */
static int
read_digits(const char **p, int n, int *v)
{
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char) (*p)[i]))
      return 0;
    *v = *v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  return 1;
}

/* Move past the character C at *P; 1 when it was there. */
static int
read_char(const char **p, char c)
{
  if (**p != c)
    return 0;
  (*p)++;
  return 1;
}

#define TIME_FORMAT "YYYY-MM-DD HH:MM[:SS] (or with T), then Z or an offset " \
  "like +01:00 (UTC without)"

/* S as a time in *OUT: 0, or -1 with what is wrong in WHY (WHY_SIZE bytes). */
static int
parse_time(const char *s, time_t *out, char *why, size_t why_size)
{
  const char *p = s;
  int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 0;
  if (!read_digits(&p, 4, &y) || !read_char(&p, '-') || !read_digits(&p, 2, &mo)
      || !read_char(&p, '-') || !read_digits(&p, 2, &d)) {
    snprintf(why, why_size, "\"%.100s\" is not a time: expected %s", s, TIME_FORMAT);
    return -1;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
    if (mo < 1 || mo > 12)
      snprintf(why, why_size, "\"%.100s\" is not a date: there is no month %02d", s, mo);
    else
      snprintf(why, why_size, "\"%.100s\" is not a date: %04d-%02d has %d days", s, y,
               mo, days_in_month(y, mo));
    return -1;
  }
  if ((!read_char(&p, ' ') && !read_char(&p, 'T')) || !read_digits(&p, 2, &h)
      || !read_char(&p, ':') || !read_digits(&p, 2, &mi)
      || (read_char(&p, ':') && !read_digits(&p, 2, &sec))) {
    snprintf(why, why_size, "\"%.100s\" has no time of day: expected %s", s, TIME_FORMAT);
    return -1;
  }
  if (h > 23 || mi > 59 || sec > 59) {
    snprintf(why, why_size, "\"%.100s\" is not a time of day: %02d:%02d:%02d", s, h,
             mi, sec);
    return -1;
  }
  if (read_char(&p, 'Z')) {
    sign = 0;
  } else if (*p == '+' || *p == '-') {
    sign = *p++ == '+' ? 1 : -1;
    if (!read_digits(&p, 2, &oh) || !read_char(&p, ':') || !read_digits(&p, 2, &om)
        || oh > 23 || om > 59) {
      snprintf(why, why_size, "\"%.100s\" has an offset from UTC that is not +HH:MM or "
               "-HH:MM", s);
      return -1;
    }
  }
  if (*p != '\0') {
    snprintf(why, why_size, "\"%.100s\" is not a time: \"%.40s\" after it; expected %s",
             s, p, TIME_FORMAT);
    return -1;
  }
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  /* 10:00+01:00 is 09:00 UTC */
  *out = timegm(&tm) - (time_t) sign * (oh * 3600 + om * 60);
  return 0;
}

static int
parse_number(const char *s, double lo, double hi, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  while (*end == '%')
    end++;
  if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

static int
add_rule(nng_rubric *r, int exercise, const char *test, double value, int line)
{
  nng_rubric_rule *rules = realloc(r->rules, (r->n_rules + 1) * sizeof *rules);
  if (rules == NULL)
    return -1;
  r->rules = rules;
  nng_rubric_rule *rule = &rules[r->n_rules++];
  rule->exercise = exercise;
  snprintf(rule->test, sizeof rule->test, "%s", test);
  rule->value = value;
  rule->line = line;
  return 0;
}

/* ===== Submission times =====
 * A CSV file (RFC 4180, read by libcsv): one "student,time" record a line,
 * the name quoted when it holds a comma or a quote, as grades.csv writes it
 * ("\"Doe, Jane\",2026-12-03 10:00"); a first line whose time does not start
 * with a digit is a header; a line that starts with '#' is a comment. A
 * name that grades.csv guarded against spreadsheet formulas ("'=x") is read
 * back without the guard. */

typedef struct times_reader {
  nng_rubric *r;
  const char *path;
  char field[2][256];       /* the record's first two fields */
  size_t n_fields;          /* fields in the record so far */
  int too_long;             /* a field did not fit */
  int line;                 /* the line being read */
  int record_line;          /* where the record started */
  int records;              /* records read */
  char *why;
  size_t why_size;
  int status;               /* 0, or -1 once WHY says what is wrong */
} times_reader;

static void
times_field(void *s, size_t len, void *data)
{
  times_reader *t = data;
  if (t->n_fields == 0)
    t->record_line = t->line;
  if (t->n_fields < 2) {
    if (len >= sizeof t->field[0]) {
      t->too_long = 1;
    } else {
      memcpy(t->field[t->n_fields], s != NULL ? s : "", len);
      t->field[t->n_fields][len] = '\0';
    }
  }
  t->n_fields++;
}

/* The record just read, checked and kept: 0, or -1 with t->why. */
static int
times_take(times_reader *t)
{
  t->records++;
  const char *name = t->field[0], *when = t->n_fields > 1 ? t->field[1] : "";
  if (name[0] == '#' || (t->n_fields == 1 && name[0] == '\0'))
    return 0;  /* a comment, an empty line */
  if (t->records == 1 && !isdigit((unsigned char) when[0]))
    return 0;  /* a header */
  if (t->n_fields != 2) {
    snprintf(t->why, t->why_size, "%s:%d: expected two fields, student and time, not %zu",
             t->path, t->record_line, t->n_fields);
    return -1;
  }
  if (t->too_long || name[0] == '\0') {
    snprintf(t->why, t->why_size, "%s:%d: a student's name is 1 to 255 bytes", t->path,
             t->record_line);
    return -1;
  }
  char what[256];
  time_t at;
  if (parse_time(when, &at, what, sizeof what) != 0) {
    snprintf(t->why, t->why_size, "%s:%d: %s", t->path, t->record_line, what);
    return -1;
  }
  if (name[0] == '\'' && strchr("=+-@", name[1]) != NULL && name[1] != '\0')
    name++;
  nng_rubric_time *times = realloc(t->r->times, (t->r->n_times + 1) * sizeof *times);
  if (times == NULL) {
    snprintf(t->why, t->why_size, "%s: out of memory", t->path);
    return -1;
  }
  t->r->times = times;
  snprintf(times[t->r->n_times].student, sizeof times->student, "%s", name);
  times[t->r->n_times].when = at;
  t->r->n_times++;
  return 0;
}

static void
times_record(int c, void *data)
{
  (void) c;
  times_reader *t = data;
  if (t->status == 0)
    t->status = times_take(t);
  t->n_fields = 0;
  t->too_long = 0;
  t->field[0][0] = t->field[1][0] = '\0';
}

/* Read the submission times of PATH into R. */
static int
load_times(nng_rubric *r, const char *path, char *why, size_t why_size)
{
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(why, why_size, "cannot read the submission times %s: %s", path,
             strerror(errno));
    return -1;
  }
  struct csv_parser csv;
  if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    fclose(f);
    snprintf(why, why_size, "%s: out of memory", path);
    return -1;
  }
  times_reader t;
  memset(&t, 0, sizeof t);
  t.r = r;
  t.path = path;
  t.why = why;
  t.why_size = why_size;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int parsed = 1;
  while (t.status == 0 && parsed && (len = getline(&line, &cap, f)) > 0) {
    t.line++;
    parsed = csv_parse(&csv, line, (size_t) len, times_field, times_record, &t)
             == (size_t) len;
  }
  if (t.status == 0 && parsed)
    parsed = csv_fini(&csv, times_field, times_record, &t) == 0;
  if (t.status == 0 && !parsed) {
    snprintf(why, why_size, "%s:%d: not CSV: %s (a name with a comma or a quote is "
             "written in quotes, a quote inside doubled: \"Doe, \"\"J\"\"\")", path,
             t.line, csv_strerror(csv_error(&csv)));
    t.status = -1;
  }
  free(line);
  csv_free(&csv);
  fclose(f);
  return t.status;
}

int
nng_rubric_load(nng_rubric *r, const char *path, char *why, size_t why_size)
{
  nng_rubric_init(r);
  snprintf(r->path, sizeof r->path, "%s", path);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(why, why_size, "cannot read the rubric %s: %s", path, strerror(errno));
    return -1;
  }
  char line[1024], times[1024] = "";
  int lineno = 0, status = 0, penalty_line = 0, times_line = 0;
  while (status == 0 && fgets(line, sizeof line, f) != NULL) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash != NULL)
      *hash = '\0';
    char *w[8];
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(line, " \t\r\n", &save); t != NULL && n < 8;
         t = strtok_r(NULL, " \t\r\n", &save))
      w[n++] = t;
    if (n == 0)
      continue;
    double v;
    char *end;
    long ex = n >= 2 ? strtol(w[1], &end, 10) : 0;
    int ex_ok = n >= 2 && *w[1] != '\0' && *end == '\0' && ex > 0 && ex < 1000;
    if (strcmp(w[0], "exercise") == 0 && n == 4 && ex_ok && strcmp(w[2], "weight") == 0) {
      if (parse_number(w[3], 0, 1e6, &v) != 0) {
        snprintf(why, why_size, "%s:%d: a weight is a number >= 0, not \"%s\"", path,
                 lineno, w[3]);
        status = -1;
      } else {
        status = add_rule(r, (int) ex, "", v, lineno);
      }
    } else if (strcmp(w[0], "exercise") == 0 && n == 5 && ex_ok
               && strcmp(w[2], "test") == 0) {
      if (parse_number(w[4], 0, 1e6, &v) != 0) {
        snprintf(why, why_size, "%s:%d: points are a number >= 0, not \"%s\"", path,
                 lineno, w[4]);
        status = -1;
      } else {
        status = add_rule(r, (int) ex, w[3], v, lineno);
      }
    } else if (strcmp(w[0], "deadline") == 0 && n >= 2) {
      /* the words after "deadline", as one time: "2026-12-01 23:59" */
      char when[256] = "", what[512];
      for (size_t k = 1; k < n; k++)
        snprintf(when + strlen(when), sizeof when - strlen(when), "%s%s", k > 1 ? " " : "",
                 w[k]);
      if (parse_time(when, &r->deadline, what, sizeof what) != 0) {
        snprintf(why, why_size, "%s:%d: a deadline is a time: %s", path, lineno, what);
        status = -1;
      }
      r->has_deadline = 1;
    } else if (strcmp(w[0], "late-penalty-per-day") == 0 && n == 2) {
      penalty_line = lineno;
      if (parse_number(w[1], 0, 100, &v) != 0) {
        snprintf(why, why_size, "%s:%d: a penalty is a percentage from 0 to 100, not "
                 "\"%s\"", path, lineno, w[1]);
        status = -1;
      }
      r->per_day = v / 100.0;
    } else if (strcmp(w[0], "late-penalty-max") == 0 && n == 2) {
      penalty_line = penalty_line ? penalty_line : lineno;
      if (parse_number(w[1], 0, 100, &v) != 0) {
        snprintf(why, why_size, "%s:%d: a penalty is a percentage from 0 to 100, not "
                 "\"%s\"", path, lineno, w[1]);
        status = -1;
      }
      r->max_penalty = v / 100.0;
    } else if (strcmp(w[0], "submission-times") == 0 && n == 2) {
      times_line = lineno;
      if (w[1][0] == '/') {
        snprintf(times, sizeof times, "%s", w[1]);
      } else {
        const char *slash = strrchr(path, '/');
        int dir = slash ? (int) (slash - path + 1) : 0;
        snprintf(times, sizeof times, "%.*s%s", dir, path, w[1]);
      }
    } else {
      snprintf(why, why_size, "%s:%d: cannot read this rule; the rules are "
               "\"exercise N weight W\", \"exercise N test NAME POINTS\", "
               "\"deadline YYYY-MM-DD HH:MM\", \"late-penalty-per-day P\", "
               "\"late-penalty-max P\", \"submission-times FILE\"", path, lineno);
      status = -1;
    }
  }
  fclose(f);
  /* A penalty or times without a deadline would change nothing: a TA who
   * wrote them meant a deadline, and must hear that it is missing. */
  if (status == 0 && !r->has_deadline && (penalty_line || times_line)) {
    int at = penalty_line ? penalty_line : times_line;
    snprintf(why, why_size, "%s:%d: a late penalty or submission times need a deadline: "
             "add \"deadline YYYY-MM-DD HH:MM\"", path, at);
    status = -1;
  }
  if (status == 0 && times[0] != '\0')
    status = load_times(r, times, why, why_size);
  if (status != 0)
    nng_rubric_free(r);
  return status;
}

int
nng_rubric_check(const nng_rubric *r, const nng_test *const *hidden, char *why,
                 size_t why_size)
{
  for (size_t k = 0; k < r->n_rules; k++) {
    const nng_rubric_rule *rule = &r->rules[k];
    const nng_exercise *ex = nng_exercise_find(rule->exercise);
    if (ex == NULL) {
      snprintf(why, why_size, "%s:%d: there is no exercise %d", r->path, rule->line,
               rule->exercise);
      return -1;
    }
    if (rule->test[0] == '\0')
      continue;
    int found = 0;
    for (const nng_test *t = ex->tests; t->name != NULL && !found; t++)
      found = strcmp(t->name, rule->test) == 0;
    const nng_test *h = hidden ? hidden[ex - nng_exercises] : NULL;
    for (; h != NULL && h->name != NULL && !found; h++)
      found = strcmp(h->name, rule->test) == 0;
    if (!found) {
      snprintf(why, why_size, "%s:%d: exercise %d has no test \"%s\" (nngrade list "
               "shows the tests)", r->path, rule->line, rule->exercise, rule->test);
      return -1;
    }
  }
  return 0;
}

void
nng_rubric_apply(const nng_rubric *r, nng_student *s)
{
  for (size_t e = 0; e < s->n; e++) {
    nng_exercise_result *res = &s->res[e];
    res->weight = 1.0;
    for (size_t k = 0; k < r->n_rules; k++) {
      const nng_rubric_rule *rule = &r->rules[k];
      if (rule->exercise != res->exercise->number)
        continue;
      if (rule->test[0] == '\0') {
        res->weight = rule->value;
        continue;
      }
      for (size_t i = 0; i < res->n_tests; i++)
        if (strcmp(res->tests[i].name, rule->test) == 0) {
          res->tests[i].max_points = rule->value;
          res->tests[i].points = res->tests[i].verdict == NNG_PASSED ? rule->value : 0;
        }
    }
    nng_exercise_result_total(res);
  }
}

double
nng_rubric_late_factor(const nng_rubric *r, const char *student, int *days)
{
  *days = 0;
  if (!r->has_deadline)
    return 1.0;
  for (size_t k = 0; k < r->n_times; k++) {
    if (strcmp(r->times[k].student, student) != 0)
      continue;
    double late = difftime(r->times[k].when, r->deadline);
    if (late <= 0)
      return 1.0;
    *days = (int) ceil(late / 86400.0);
    double penalty = *days * r->per_day;
    if (penalty > r->max_penalty)
      penalty = r->max_penalty;
    return 1.0 - penalty;
  }
  return 1.0;
}
