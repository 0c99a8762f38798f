/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of what nngrade writes for students and TAs (grader/report.h),
 * linked in directly.
 *
 * JSON strings: student output goes into results/NAME.json, so every byte
 * string must come out as valid UTF-8. Each ill-formed form (overlong,
 * surrogate, above U+10FFFF, cut short, a stray continuation byte) is
 * checked against the exact U+FFFD replacements of the Unicode Standard's
 * "maximal subpart" practice; then every string of up to four bytes drawn
 * from the bytes at the edges of the ranges of UTF-8 goes through, and the
 * output is checked by a validator written here in another way (decode the
 * code point, then check its range), which also requires that well-formed
 * text passes unchanged.
 *
 * results.json: Gradescope's documented top-level keys only (no
 * max_score), and a late penalty that makes the score differ from the sum
 * of the tests says so, with the points it took.
 */
#include "nntest.h"

#include <stdlib.h>

#include "report.h"

/* nng_json_string(S) as a string; the caller frees it. */
static char *
json_of(const char *s)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_non_null(m);
  nng_json_string(m, s);
  assert_int_equal(fclose(m), 0);
  return buf;
}

/* ===== An independent UTF-8 check =====
 * Decode each sequence by its lead byte's length, then refuse what the
 * code point says is wrong: a form longer than its value needs, a
 * surrogate, a value above U+10FFFF. */

/* 1 when the N bytes at S are well-formed UTF-8. */
static int
valid_utf8(const unsigned char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > n)
      return 0;
    unsigned long cp = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return 0;
    i += len;
  }
  return 1;
}

/* 1 when the JSON string J (quotes included) holds a control character raw. */
static int
has_raw_control(const char *j)
{
  for (const unsigned char *p = (const unsigned char *) j; *p; p++)
    if (*p < 0x20)
      return 1;
  return 0;
}

/* ===== Ill-formed forms, one by one ===== */

static const struct {
  const char *in, *out, *what;
} cases[] = {
  {"a\xC0\xAF" "b", "\"a\\ufffd\\ufffdb\"", "overlong '/' in two bytes"},
  {"\xC1\xBF", "\"\\ufffd\\ufffd\"", "overlong, C1"},
  {"\xE0\x80\xAF", "\"\\ufffd\\ufffd\\ufffd\"", "overlong '/' in three bytes"},
  {"\xE0\x9F\xBF", "\"\\ufffd\\ufffd\\ufffd\"", "overlong U+07FF"},
  {"\xF0\x80\x80\xAF", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "overlong '/' in four bytes"},
  {"\xF0\x8F\xBF\xBF", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "overlong U+FFFF"},
  {"\xED\xA0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate U+D800"},
  {"\xED\xBF\xBF", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate U+DFFF"},
  {"\xF4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "U+110000"},
  {"\xF5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "lead F5"},
  {"\xF8\x88\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"", "five-byte form"},
  {"\xFE\xFF", "\"\\ufffd\\ufffd\"", "FE FF"},
  {"x\x80y", "\"x\\ufffdy\"", "a lone continuation byte"},
  {"\xBF\x80\xBF", "\"\\ufffd\\ufffd\\ufffd\"", "continuation bytes only"},
  {"\xE2\x82", "\"\\ufffd\"", "euro sign cut short at the end"},
  {"\xE2\x82x", "\"\\ufffdx\"", "euro sign cut short by a letter"},
  {"\xF0\x9F\x98", "\"\\ufffd\"", "emoji cut short at the end"},
  {"\xF0\x9F\x98\xE2\x82\xAC", "\"\\ufffd\xE2\x82\xAC\"", "emoji cut short by a euro sign"},
  {"\xC3", "\"\\ufffd\"", "two-byte lead at the end"},
  {"\xC3\xC3\xA9", "\"\\ufffd\xC3\xA9\"", "a lead, then a whole e-acute"},
  {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF",
   "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"", "well-formed, kept"},
  {"\xEF\xBF\xBD", "\"\xEF\xBF\xBD\"", "U+FFFD itself, kept"},
  {"q\"b\\s\n\t\r\x01\x1f\x7f", "\"q\\\"b\\\\s\\n\\t\\u000d\\u0001\\u001f\\u007f\"",
   "quotes, backslashes and control characters escaped"},
};

static void
ill_formed_sequences_become_replacement_characters(void **state)
{
  (void) state;
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *j = json_of(cases[k].in);
    if (strcmp(j, cases[k].out) != 0)
      fail_msg("%s: got %s, expected %s", cases[k].what, j, cases[k].out);
    assert_true(valid_utf8((const unsigned char *) j, strlen(j)));
    free(j);
  }
  char *j = json_of(NULL);
  assert_string_equal(j, "\"\"");
  free(j);
}

/* ===== Every short string of edge bytes ===== */

static void
every_short_byte_string_comes_out_valid(void **state)
{
  (void) state;
  /* the edges of every range in the table of well-formed UTF-8 */
  static const unsigned char edge[] = {
    0x01, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
    0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  const size_t n_edge = sizeof edge;
  size_t checked = 0, kept = 0;
  for (size_t len = 1; len <= 4; len++) {
    size_t total = 1;
    for (size_t i = 0; i < len; i++)
      total *= n_edge;
    for (size_t code = 0; code < total; code++) {
      unsigned char in[5];
      size_t c = code;
      for (size_t i = 0; i < len; i++, c /= n_edge)
        in[i] = edge[c % n_edge];
      in[len] = '\0';
      char *j = json_of((const char *) in);
      size_t jn = strlen(j);
      if (!valid_utf8((const unsigned char *) j, jn) || has_raw_control(j))
        fail_msg("not valid UTF-8 JSON for bytes %02x %02x %02x %02x (%zu): %s",
                 in[0], len > 1 ? in[1] : 0, len > 2 ? in[2] : 0, len > 3 ? in[3] : 0,
                 len, j);
      /* well-formed text without characters to escape passes unchanged */
      int plain = valid_utf8(in, len);
      for (size_t i = 0; i < len && plain; i++)
        plain = in[i] >= 0x20 && in[i] != 0x7F;
      if (plain) {
        if (jn != len + 2 || memcmp(j + 1, in, len) != 0)
          fail_msg("well-formed bytes %02x %02x %02x %02x were changed: %s", in[0],
                   len > 1 ? in[1] : 0, len > 2 ? in[2] : 0, len > 3 ? in[3] : 0, j);
        kept++;
      } else {
        assert_non_null(strstr(j, "\\u"));  /* something was replaced or escaped */
      }
      free(j);
      checked++;
    }
  }
  assert_true(checked > 400000);
  assert_true(kept > 1000);  /* the property was tested on real text too */
}

/* ===== results.json ===== */

static const nng_exercise exercise = {1, "Vectors, matrices and derivatives", "ex01",
                                      "exercise1.c", NULL, NULL};

/* A graded exercise of two tests, the first passed (2.5 points of 2.5),
 * the second failed (0 of 1.5), with WEIGHT. */
static void
two_tests(nng_exercise_result *r, nng_test_result *t, double weight)
{
  memset(r, 0, sizeof *r);
  memset(t, 0, 2 * sizeof *t);
  snprintf(t[0].name, sizeof t[0].name, "dot_multiplies_then_sums");
  t[0].verdict = NNG_PASSED;
  t[0].points = t[0].max_points = 2.5;
  snprintf(t[1].name, sizeof t[1].name, "matvec_checks_sizes");
  t[1].verdict = NNG_FAILED;
  t[1].max_points = 1.5;
  snprintf(t[1].detail, sizeof t[1].detail, "expected GSL_EBADLEN, got \xC0\xAF");
  r->exercise = &exercise;
  r->status = NNG_EX_GRADED;
  r->tests = t;
  r->n_tests = 2;
  r->score = 2.5;
  r->max_score = 4.0;
  r->weight = weight;
}

static char *
results_of(const nng_exercise_result *r, int late_days, double factor)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_non_null(m);
  nng_results_json(m, r, 1, NNG_HIDDEN_SUMMARY, late_days, factor);
  assert_int_equal(fclose(m), 0);
  return buf;
}

/* The top-level keys of the JSON object J: the keys indented by two spaces. */
static void
assert_top_level_keys_documented(const char *j)
{
  static const char *const documented[] = {"score", "execution_time", "output",
    "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"};
  size_t n_keys = 0;
  for (const char *p = strstr(j, "\n  \""); p != NULL; p = strstr(p + 1, "\n  \"")) {
    const char *key = p + 4, *end = strchr(key, '"');
    assert_non_null(end);
    int known = 0;
    for (size_t k = 0; k < sizeof documented / sizeof documented[0]; k++)
      known |= strlen(documented[k]) == (size_t) (end - key)
               && strncmp(documented[k], key, (size_t) (end - key)) == 0;
    if (!known)
      fail_msg("results.json has the top-level key \"%.*s\", which Gradescope does not "
               "document:\n%s", (int) (end - key), key, j);
    n_keys++;
  }
  assert_true(n_keys >= 4);
}

static void
results_json_has_the_documented_keys(void **state)
{
  (void) state;
  nng_exercise_result r;
  nng_test_result t[2];
  two_tests(&r, t, 2.0);
  char *j = results_of(&r, 0, 1.0);
  assert_top_level_keys_documented(j);
  assert_non_null(strstr(j, "\n  \"score\": 5,"));          /* 2.5 x weight 2 */
  assert_non_null(strstr(j, "\"max_score\": 5,"));          /* each test has its own */
  assert_non_null(strstr(j, "\"max_score\": 3,"));
  assert_true(valid_utf8((const unsigned char *) j, strlen(j)));
  assert_null(strstr(j, "Late"));
  free(j);
}

static void
late_penalty_is_explained_in_the_output(void **state)
{
  (void) state;
  nng_exercise_result r;
  nng_test_result t[2];
  two_tests(&r, t, 2.0);
  /* the tests add up to 5 points; 2 days late at 10% a day keeps 0.8 */
  char *j = results_of(&r, 2, 0.8);
  assert_top_level_keys_documented(j);
  assert_non_null(strstr(j, "\n  \"score\": 4,"));
  const char *output = strstr(j, "\n  \"output\": \"");
  assert_non_null(output);
  if (strstr(output, "Late by 2 days: -20% of the total (-1 points): 5 becomes 4.") == NULL)
    fail_msg("the output does not say why the score is 4 and not 5:\n%s", j);
  free(j);

  /* The same words in the feedback. */
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_non_null(m);
  nng_report_write(m, "Feedback", &r, 1, NNG_HIDDEN_SUMMARY, 2, 0.8);
  assert_int_equal(fclose(m), 0);
  assert_non_null(strstr(buf, "Late by 2 days: -20% of the total (-1 points): 5 becomes 4."));
  assert_non_null(strstr(buf, "Total: 4/8"));
  free(buf);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ill_formed_sequences_become_replacement_characters),
    cmocka_unit_test(every_short_byte_string_comes_out_valid),
    cmocka_unit_test(results_json_has_the_documented_keys),
    cmocka_unit_test(late_penalty_is_explained_in_the_output),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
