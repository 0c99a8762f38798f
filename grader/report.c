/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* Why the total is less than the tests' points add up to: "Late by 2 days:
 * -20% of the total (-3.4 points): 17 becomes 13.6." TOTAL is before the
 * penalty. */
static void
late_penalty_line(FILE *f, int late_days, double factor, double total)
{
  fprintf(f, "Late by %d day%s: -%g%% of the total (-%g points): %g becomes %g.\n",
          late_days, late_days == 1 ? "" : "s", 100.0 * (1.0 - factor),
          total * (1.0 - factor), total, total * factor);
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
    late_penalty_line(f, late_days, factor, total);
  if (n > 1 || late_days > 0 || (n == 1 && res[0].weight != 1.0))
    fprintf(f, "Total: %g/%g\n", total * factor, max);
}

/* ===== JSON strings =====
 * Student output goes into results.json, and a JSON text must be UTF-8
 * (RFC 8259): a strict reader refuses the whole file for one bad byte, and
 * the student's row with it. Well-formed UTF-8 is copied; anything else
 * becomes U+FFFD, one for each "maximal subpart" of an ill-formed sequence
 * (the Unicode Standard, section 3.9, the practice WHATWG's decoder follows
 * too): the longest start of a well-formed sequence, or else one byte.
 * Well-formed means Table 3-7 of the standard, which also rules out
 * overlong forms (C0 AF for '/'), surrogates (ED A0 80) and code points
 * above U+10FFFF (F4 90 ..., F5 to FF):
 *
 *   00..7F
 *   C2..DF  80..BF
 *   E0      A0..BF  80..BF
 *   E1..EC  80..BF  80..BF
 *   ED      80..9F  80..BF
 *   EE..EF  80..BF  80..BF
 *   F0      90..BF  80..BF  80..BF
 *   F1..F3  80..BF  80..BF  80..BF
 *   F4      80..8F  80..BF  80..BF
 */

/* The length of the well-formed sequence at P (1 to 4), or minus the length
 * of its maximal subpart (-1 to -3) when it is ill-formed. P[0] >= 0x80. */
static int
utf8_sequence(const unsigned char *p)
{
  unsigned char c = p[0], lo = 0x80, hi = 0xBF;
  int len;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  else
    return -1;  /* a continuation byte, C0, C1 or F5..FF: never a lead */
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F;
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F;
  for (int k = 1; k < len; k++) {
    /* the second byte has its own range; the others are 80..BF. A NUL
     * (the end of the string) is outside every range. */
    if (p[k] < (k == 1 ? lo : 0x80) || p[k] > (k == 1 ? hi : 0xBF))
      return -k;
  }
  return len;
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
      int len = utf8_sequence(p);
      if (len > 0) {
        fwrite(p, 1, (size_t) len, f);
        p += len;
      } else {
        fputs("\\ufffd", f);
        p += -len;
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
  double score = 0, seconds = 0;
  for (size_t e = 0; e < n; e++) {
    score += res[e].score * res[e].weight;
    seconds += res[e].seconds;
  }
  /* Gradescope's schema has no top-level max_score: the tests' max_score
   * add up to it. */
  fprintf(f, "{\n  \"score\": %.6g,\n  \"execution_time\": %.3f,\n", score * factor,
          seconds);
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
      late_penalty_line(m, late_days, factor, score);
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
