/* report.c: what nngrade tells students and TAs (see report.h). */
#include <config.h>

#include <string.h>

#include "report.h"

static const char *
verdict_word(nng_verdict v)
{
  switch (v) {
  case NNG_PASSED: return "PASS ";
  case NNG_FAILED: return "FAIL ";
  case NNG_UNIMPLEMENTED: return "TODO ";
  case NNG_CRASHED: return "CRASH";
  case NNG_NOT_RUN: return "-    ";
  }
  return "?    ";
}

/* Print TEXT with every line indented by INDENT; at most MAX bytes. */
static void
print_indented(FILE *f, const char *indent, const char *text, size_t max)
{
  size_t n = strlen(text);
  int truncated = n > max;
  if (truncated)
    n = max;
  fputs(indent, f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) text[i];
    if (c == '\n') {
      if (i + 1 < n)
        fprintf(f, "\n%s", indent);
    } else if (c == '\t' || c >= 0x20) {
      fputc(c, f);
    } else {
      fputc('?', f);  /* no terminal control codes from student output */
    }
  }
  fputs(truncated ? " [...]\n" : "\n", f);
}

static void
print_test(FILE *f, const nng_test_result *t, int details)
{
  fprintf(f, "    %s %-44s %g/%g\n", verdict_word(t->verdict), t->name, t->points,
          t->max_points);
  if (t->verdict == NNG_PASSED || !details)
    return;
  print_indented(f, "          ", t->detail, 1000);
  if (t->output != NULL && t->output[0] != '\0') {
    fputs("          Your program printed:\n", f);
    print_indented(f, "            | ", t->output, 600);
  }
  if (t->hint != NULL && t->verdict != NNG_UNIMPLEMENTED)
    fprintf(f, "          Hint: %s\n", t->hint);
}

void
nng_report_write(FILE *f, const char *title, const nng_exercise_result *res, size_t n,
                 nng_hidden_view hidden, int late_days, double factor)
{
  double total = 0, max = 0;
  if (title != NULL)
    fprintf(f, "# %s\n\n", title);
  for (size_t e = 0; e < n; e++) {
    const nng_exercise_result *r = &res[e];
    total += r->score * r->weight;
    max += r->max_score * r->weight;
    fprintf(f, "## Exercise %d: %s: %g/%g points", r->exercise->number,
            r->exercise->title, r->score, r->max_score);
    if (r->weight != 1.0)
      fprintf(f, " (weight %g)", r->weight);
    fputs("\n\n", f);
    if (r->source[0] != '\0')
      fprintf(f, "    source: %s\n", r->source);
    if (r->status != NNG_EX_GRADED) {
      fprintf(f, "    Not graded: %s.\n", r->reason);
      if (r->compiler_output != NULL) {
        fputs("    The compiler said:\n", f);
        print_indented(f, "      ", r->compiler_output, 4000);
      }
      fputc('\n', f);
      continue;
    }
    if (r->compiler_output != NULL) {
      fputs("    The compiler warned:\n", f);
      print_indented(f, "      ", r->compiler_output, 2000);
    }
    fputc('\n', f);
    size_t n_hidden = 0, hidden_passed = 0;
    double hidden_points = 0, hidden_max = 0;
    for (size_t i = 0; i < r->n_tests; i++) {
      const nng_test_result *t = &r->tests[i];
      if (!t->hidden) {
        print_test(f, t, 1);
        continue;
      }
      n_hidden++;
      hidden_passed += t->verdict == NNG_PASSED;
      hidden_points += t->points;
      hidden_max += t->max_points;
    }
    if (n_hidden > 0) {
      fprintf(f, "\n    Hidden tests: %zu of %zu passed, %g/%g points\n", hidden_passed,
              n_hidden, hidden_points, hidden_max);
      for (size_t i = 0; i < r->n_tests && hidden != NNG_HIDDEN_SUMMARY; i++)
        if (r->tests[i].hidden)
          print_test(f, &r->tests[i], hidden == NNG_HIDDEN_FULL);
    }
    fprintf(f, "\n    Score: %g/%g\n\n", r->score, r->max_score);
  }
  if (late_days > 0)
    fprintf(f, "Late by %d day%s: the total is multiplied by %g.\n", late_days,
            late_days == 1 ? "" : "s", factor);
  if (n > 1 || late_days > 0 || (n == 1 && res[0].weight != 1.0))
    fprintf(f, "Total: %g/%g\n", total * factor, max);
}

void
nng_json_string(FILE *f, const char *s)
{
  const unsigned char *p = (const unsigned char *) (s ? s : "");
  fputc('"', f);
  while (*p) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      fprintf(f, "\\%c", c);
      p++;
    } else if (c == '\n') {
      fputs("\\n", f);
      p++;
    } else if (c == '\t') {
      fputs("\\t", f);
      p++;
    } else if (c < 0x20 || c == 0x7f) {
      fprintf(f, "\\u%04x", c);
      p++;
    } else if (c < 0x80) {
      fputc(c, f);
      p++;
    } else {
      /* A well-formed UTF-8 sequence passes; anything else becomes U+FFFD. */
      int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
      int ok = len > 0;
      for (int k = 1; ok && k < len; k++)
        ok = (p[k] & 0xc0) == 0x80;
      if (ok) {
        fwrite(p, 1, (size_t) len, f);
        p += len;
      } else {
        fputs("\\ufffd", f);
        p++;
      }
    }
  }
  fputc('"', f);
}

/* The feedback of one test, as text, for the JSON "output" field. */
static void
test_output(FILE *f, const nng_test_result *t, int details)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  if (m == NULL) {
    nng_json_string(f, t->detail);
    return;
  }
  if (t->verdict != NNG_PASSED && details) {
    fprintf(m, "%s\n", t->detail);
    if (t->output != NULL && t->output[0] != '\0')
      fprintf(m, "Your program printed:\n%.600s\n", t->output);
    if (t->hint != NULL && t->verdict != NNG_UNIMPLEMENTED)
      fprintf(m, "Hint: %s\n", t->hint);
  } else if (t->verdict != NNG_PASSED) {
    fputs("Failed (a hidden test).\n", m);
  }
  fclose(m);
  nng_json_string(f, buf);
  free(buf);
}

void
nng_results_json(FILE *f, const nng_exercise_result *res, size_t n,
                 nng_hidden_view hidden, int late_days, double factor)
{
  double score = 0, max = 0, seconds = 0;
  for (size_t e = 0; e < n; e++) {
    score += res[e].score * res[e].weight;
    max += res[e].max_score * res[e].weight;
    seconds += res[e].seconds;
  }
  fprintf(f, "{\n  \"score\": %.6g,\n  \"max_score\": %.6g,\n  \"execution_time\": %.3f,\n",
          score * factor, max, seconds);
  fputs("  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n", f);
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  if (m != NULL) {
    for (size_t e = 0; e < n; e++)
      if (res[e].status != NNG_EX_GRADED)
        fprintf(m, "Exercise %d not graded: %s.\n", res[e].exercise->number,
                res[e].reason);
    if (late_days > 0)
      fprintf(m, "Late by %d day%s: the score is multiplied by %g.\n", late_days,
              late_days == 1 ? "" : "s", factor);
    fclose(m);
  }
  fputs("  \"output\": ", f);
  nng_json_string(f, buf ? buf : "");
  free(buf);
  fputs(",\n  \"tests\": [", f);
  int number = 0;
  for (size_t e = 0; e < n; e++) {
    const nng_exercise_result *r = &res[e];
    for (size_t i = 0; i < r->n_tests; i++) {
      const nng_test_result *t = &r->tests[i];
      char name[256];
      snprintf(name, sizeof name, "Exercise %d: %s%s", r->exercise->number,
               t->hidden ? "hidden: " : "", t->name);
      fprintf(f, "%s\n    {\n      \"name\": ", number ? "," : "");
      nng_json_string(f, name);
      fprintf(f, ",\n      \"number\": \"%d.%zu\",\n", r->exercise->number, i + 1);
      fprintf(f, "      \"score\": %.6g,\n      \"max_score\": %.6g,\n",
              t->points * r->weight, t->max_points * r->weight);
      fprintf(f, "      \"status\": \"%s\",\n", t->verdict == NNG_PASSED ? "passed"
                                                                       : "failed");
      fputs("      \"output\": ", f);
      if (r->status != NNG_EX_GRADED)
        nng_json_string(f, r->reason);
      else
        test_output(f, t, !t->hidden || hidden == NNG_HIDDEN_FULL);
      fprintf(f, ",\n      \"visibility\": \"%s\"\n    }",
              t->hidden && hidden == NNG_HIDDEN_SUMMARY ? "after_published" : "visible");
      number++;
    }
  }
  fputs(number ? "\n  ]\n}\n" : "]\n}\n", f);
}

void
nng_csv_field(FILE *f, const char *s)
{
  int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
  if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  if (formula)
    fputc('\'', f);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}
