/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state.c: what a batch remembers of each graded student (see state.h). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"

/* ===== Writing ===== */

static void
put_field(FILE *f, const char *s)
{
  fputc('\t', f);
  for (; s != NULL && *s; s++) {
    switch (*s) {
    case '\t': fputs("\\t", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\\': fputs("\\\\", f); break;
    default: fputc(*s, f);
    }
  }
}

int
nng_state_write(const char *path, const nng_student *s)
{
  char tmp[2048];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long) getpid());
  FILE *f = fopen(tmp, "w");
  if (f == NULL)
    return -1;
  fputs("nngrade-state 1\nstudent", f);
  put_field(f, s->name);
  put_field(f, s->entry);
  fputc('\n', f);
  for (size_t e = 0; e < s->n; e++) {
    const nng_exercise_result *r = &s->res[e];
    char num[64];
    fprintf(f, "exercise\t%d\t%d\t%.3f", r->exercise->number, (int) r->status,
            r->seconds);
    put_field(f, r->reason);
    put_field(f, r->source);
    put_field(f, r->compiler_output);
    fputc('\n', f);
    for (size_t i = 0; i < r->n_tests; i++) {
      const nng_test_result *t = &r->tests[i];
      fprintf(f, "test\t%d", t->hidden);
      put_field(f, t->name);
      put_field(f, t->function);
      snprintf(num, sizeof num, "%.17g", t->max_points);
      put_field(f, num);
      snprintf(num, sizeof num, "%d", (int) t->verdict);
      put_field(f, num);
      put_field(f, t->detail);
      put_field(f, t->output);
      fputc('\n', f);
    }
  }
  fputs("end\n", f);
  int failed = ferror(f);
  if (fflush(f) != 0 || fsync(fileno(f)) != 0)
    failed = 1;
  if (fclose(f) != 0)
    failed = 1;
  if (failed || rename(tmp, path) != 0) {
    int saved = errno;
    unlink(tmp);
    errno = saved;
    return -1;
  }
  return 0;
}

/* ===== Reading ===== */

/* Split LINE (modified) at tabs into at most MAX fields, unescaping each. */
static size_t
split_fields(char *line, char **fields, size_t max)
{
  size_t n = 0;
  char *p = line;
  while (n < max) {
    fields[n++] = p;
    char *out = p;
    while (*p != '\0' && *p != '\t') {
      if (*p == '\\' && p[1] != '\0') {
        p++;
        *out++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
        p++;
      } else {
        *out++ = *p++;
      }
    }
    int more = *p == '\t';
    *out = '\0';
    if (!more)
      break;
    p++;
  }
  return n;
}

/* Read one whole line, however long; NULL at end of file. Caller frees. */
static char *
read_line(FILE *f)
{
  size_t cap = 256, n = 0;
  char *s = malloc(cap);
  int c;
  if (s == NULL)
    return NULL;
  while ((c = fgetc(f)) != EOF && c != '\n') {
    if (n + 1 == cap) {
      char *b = realloc(s, cap *= 2);
      if (b == NULL) {
        free(s);
        return NULL;
      }
      s = b;
    }
    s[n++] = (char) c;
  }
  if (c == EOF && n == 0) {
    free(s);
    return NULL;
  }
  s[n] = '\0';
  return s;
}

static const char *
find_hint(const nng_test *tests, const char *name)
{
  for (size_t i = 0; tests != NULL && tests[i].name != NULL; i++)
    if (strcmp(tests[i].name, name) == 0)
      return tests[i].hint;
  return NULL;
}

/* Index of exercise NUMBER in nng_exercises, or -1. */
static long
exercise_index(int number)
{
  for (size_t e = 0; e < nng_n_exercises; e++)
    if (nng_exercises[e].number == number)
      return (long) e;
  return -1;
}

int
nng_state_read(const char *path, nng_student *s, const nng_test *const *hidden,
               char *why, size_t why_size)
{
  memset(s, 0, sizeof *s);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
    return -1;
  }
  char *line;
  int complete = 0, lineno = 0;
  const char *bad = NULL;
  nng_exercise_result *cur = NULL;
  size_t cap_tests = 0;
  while (bad == NULL && (line = read_line(f)) != NULL) {
    char *field[10];
    size_t n = split_fields(line, field, 10);
    lineno++;
    if (lineno == 1) {
      if (strcmp(line, "nngrade-state 1") != 0)
        bad = "not a state file of this version";
    } else if (strcmp(field[0], "student") == 0 && n == 3) {
      snprintf(s->name, sizeof s->name, "%s", field[1]);
      snprintf(s->entry, sizeof s->entry, "%s", field[2]);
    } else if (strcmp(field[0], "exercise") == 0 && n == 7) {
      long e = exercise_index(atoi(field[1]));
      if (e < 0 || s->n == NNG_MAX_EXERCISES) {
        bad = "an exercise this nngrade does not know";
      } else {
        cur = &s->res[s->n++];
        if (nng_exercise_result_init(cur, &nng_exercises[e], 0) != 0) {
          bad = "out of memory";
        } else {
          cur->n_tests = 0;
          cap_tests = 1;
          cur->status = (nng_exercise_status) atoi(field[2]);
          cur->seconds = atof(field[3]);
          snprintf(cur->reason, sizeof cur->reason, "%s", field[4]);
          snprintf(cur->source, sizeof cur->source, "%s", field[5]);
          cur->compiler_output = field[6][0] ? strdup(field[6]) : NULL;
        }
      }
    } else if (strcmp(field[0], "test") == 0 && n == 8 && cur != NULL) {
      if (cur->n_tests == cap_tests) {
        nng_test_result *t = realloc(cur->tests, 2 * cap_tests * sizeof *t);
        if (t == NULL) {
          bad = "out of memory";
          free(line);
          break;
        }
        cur->tests = t;
        cap_tests *= 2;
      }
      nng_test_result *t = &cur->tests[cur->n_tests++];
      memset(t, 0, sizeof *t);
      t->hidden = atoi(field[1]) != 0;
      snprintf(t->name, sizeof t->name, "%s", field[2]);
      snprintf(t->function, sizeof t->function, "%s", field[3]);
      t->max_points = atof(field[4]);
      t->verdict = (nng_verdict) atoi(field[5]);
      t->points = t->verdict == NNG_PASSED ? t->max_points : 0.0;
      snprintf(t->detail, sizeof t->detail, "%s", field[6]);
      t->output = field[7][0] ? strdup(field[7]) : NULL;
      long e = cur->exercise - nng_exercises;
      t->hint = t->hidden ? find_hint(hidden ? hidden[e] : NULL, t->name)
                          : find_hint(cur->exercise->tests, t->name);
    } else if (strcmp(field[0], "end") == 0 && n == 1) {
      complete = 1;
    } else {
      bad = "a line it cannot read";
    }
    free(line);
  }
  fclose(f);
  for (size_t e = 0; e < s->n; e++)
    nng_exercise_result_total(&s->res[e]);
  if (bad != NULL || !complete) {
    snprintf(why, why_size, "%s: line %d: %s", path, lineno,
             bad ? bad : "the file ends early");
    nng_student_free(s);
    return -1;
  }
  return 0;
}

void
nng_student_free(nng_student *s)
{
  for (size_t e = 0; e < s->n; e++)
    nng_exercise_result_free(&s->res[e]);
  s->n = 0;
}
