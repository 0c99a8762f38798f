/* rubric.c: points, weights and late penalties (see rubric.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* "2026-12-01 23:59", "2026-12-01T23:59:00Z", "2026-12-01 23:59:30": UTC. */
static int
parse_time(const char *s, time_t *out)
{
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  int y, mo, d, h = 0, mi = 0, sec = 0;
  char sep = 0;
  int n = sscanf(s, "%d-%d-%d%c%d:%d:%d", &y, &mo, &d, &sep, &h, &mi, &sec);
  if (n < 3 || (n >= 4 && sep != ' ' && sep != 'T') || n == 4 || mo < 1 || mo > 12
      || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0
      || sec > 60)
    return -1;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  *out = timegm(&tm);
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

/* Read the submission times, "student,time" a line (a header line allowed). */
static int
load_times(nng_rubric *r, const char *path, char *why, size_t why_size)
{
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
    return -1;
  }
  char line[1024];
  int lineno = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0' || line[0] == '#')
      continue;
    char *comma = strrchr(line, ',');
    time_t when;
    if (comma == NULL || parse_time(comma + 1, &when) != 0) {
      if (lineno == 1)
        continue;  /* a header */
      snprintf(why, why_size, "%s:%d: expected \"student,YYYY-MM-DD HH:MM\", got "
               "\"%.200s\"", path, lineno, line);
      fclose(f);
      return -1;
    }
    *comma = '\0';
    nng_rubric_time *t = realloc(r->times, (r->n_times + 1) * sizeof *t);
    if (t == NULL) {
      fclose(f);
      snprintf(why, why_size, "%s: out of memory", path);
      return -1;
    }
    r->times = t;
    snprintf(t[r->n_times].student, sizeof t->student, "%s", line);
    t[r->n_times].when = when;
    r->n_times++;
  }
  fclose(f);
  return 0;
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
  int lineno = 0, status = 0;
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
    } else if (strcmp(w[0], "deadline") == 0 && (n == 2 || n == 3)) {
      char when[128];
      snprintf(when, sizeof when, "%s%s%s", w[1], n == 3 ? " " : "", n == 3 ? w[2] : "");
      if (parse_time(when, &r->deadline) != 0) {
        snprintf(why, why_size, "%s:%d: a deadline is \"YYYY-MM-DD HH:MM\" (UTC), not "
                 "\"%s\"", path, lineno, when);
        status = -1;
      }
      r->has_deadline = 1;
    } else if (strcmp(w[0], "late-penalty-per-day") == 0 && n == 2) {
      if (parse_number(w[1], 0, 100, &v) != 0) {
        snprintf(why, why_size, "%s:%d: a penalty is a percentage from 0 to 100, not "
                 "\"%s\"", path, lineno, w[1]);
        status = -1;
      }
      r->per_day = v / 100.0;
    } else if (strcmp(w[0], "late-penalty-max") == 0 && n == 2) {
      if (parse_number(w[1], 0, 100, &v) != 0) {
        snprintf(why, why_size, "%s:%d: a penalty is a percentage from 0 to 100, not "
                 "\"%s\"", path, lineno, w[1]);
        status = -1;
      }
      r->max_penalty = v / 100.0;
    } else if (strcmp(w[0], "submission-times") == 0 && n == 2) {
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
  if (status == 0 && times[0] != '\0')
    status = load_times(r, times, why, why_size);
  if (status == 0 && r->n_times > 0 && !r->has_deadline) {
    snprintf(why, why_size, "%s: submission times without a deadline", path);
    status = -1;
  }
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
