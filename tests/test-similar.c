/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the similarity checker behind nngrade similar (grader/similar.h).
 *
 * The reference solution of Exercise 1 (tests/fixtures/solutions) plays a
 * student, "alice". Around it: "bob", the same code with every name
 * renamed, other comments and another layout; a copy with its functions in
 * the reverse order; "dave", written independently, with other loops, other
 * GSL calls and other checks; "carol", who took three of alice's functions
 * and one of dave's; and two copies of the stub. Copies must score high and
 * honest work low, the stub must count for nothing, the ranking must follow,
 * the line ranges must point at what was copied, and no file, however
 * broken, may crash the checker. Files are written under
 * $NN_TOP_BUILDDIR/tests/out/similar only.
 */
#include "nntest.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "similar.h"

static char top_src[1024], out_dir[1200];
static char *alice, *stub;  /* the reference solution and the shipped stub */

/* ===== Helpers ===== */

/* The whole of a file, NUL-terminated (the caller frees it), or NULL. */
static char *
slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 4096, n = 0, r;
  char *buf = malloc(cap);
  while (buf != NULL && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (cap - n - 1 == 0) {
      char *b = realloc(buf, cap *= 2);
      if (b == NULL)
        free(buf);
      buf = b;
    }
  }
  fclose(f);
  if (buf != NULL)
    buf[n] = '\0';
  if (len != NULL)
    *len = n;
  return buf;
}

/* mkdir -p PATH. */
static int
make_dirs(const char *path)
{
  char p[1400];
  snprintf(p, sizeof p, "%s", path);
  for (char *s = p + 1; *s != '\0'; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
      return -1;
    *s = '/';
  }
  return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Write N bytes of TEXT to OUT/CASE/NAME/ex01/exercise1.c; its path in PATH. */
static void
put_file(const char *test_case, const char *name, const char *text, size_t n,
         char *path, size_t path_size)
{
  char dir[1400];
  snprintf(dir, sizeof dir, "%s/%s/%s/ex01", out_dir, test_case, name);
  assert_int_equal(make_dirs(dir), 0);
  snprintf(path, path_size, "%s/exercise1.c", dir);
  unlink(path);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}

/* The similarity of A and B, the stub removed from both, as a pair. */
static void
compare_texts(const char *a, const char *b, nng_similar_pair *p)
{
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  nng_similar_doc da, db;
  nng_similar_base base;
  assert_int_equal(nng_similar_doc_from_text(a, strlen(a), &opt, &da), 0);
  assert_int_equal(nng_similar_doc_from_text(b, strlen(b), &opt, &db), 0);
  assert_int_equal(nng_similar_base_from_text(stub, strlen(stub), &opt, &base), 0);
  nng_similar_doc_remove_base(&da, &base);
  nng_similar_doc_remove_base(&db, &base);
  memset(p, 0, sizeof *p);
  assert_int_equal(nng_similar_doc_compare(&da, &db, p), 0);
  nng_similar_doc_free(&da);
  nng_similar_doc_free(&db);
  nng_similar_base_free(&base);
}

/* The line of TEXT that AT points into, from 1. */
static unsigned
line_at(const char *text, const char *at)
{
  unsigned line = 1;
  for (const char *s = text; s < at; s++)
    line += *s == '\n';
  return line;
}

/* The lines of function NAME in TEXT: its name's line to its closing brace. */
static void
function_lines(const char *text, const char *name, unsigned *first, unsigned *last)
{
  char header[128];
  snprintf(header, sizeof header, "\n%s(", name);
  const char *at = strstr(text, header);
  assert_non_null(at);
  const char *end = strstr(at, "\n}");
  assert_non_null(end);
  *first = line_at(text, at + 1);
  *last = line_at(text, end + 1);
}

/* ===== The submissions ===== */

/* alice's solution with every name she chose renamed, other comments and
 * another layout. */
static const char bob[] =
  "// Exercise 1 -- Bob\n"
  "#include \"exercise1.h\"\n"
  "#include <math.h>\n"
  "\n"
  "int ex1_dot(const gsl_vector *u, const gsl_vector *v, double *out) {\n"
  "    if (u->size != v->size) GSL_ERROR(\"lengths differ\", GSL_EBADLEN);\n"
  "    double acc = 0;\n"
  "    for (size_t n = 0; n < u->size; n++) acc += gsl_vector_get(u, n) * gsl_vector_get(v, n);\n"
  "    *out = acc;\n"
  "    return GSL_SUCCESS;\n"
  "}\n"
  "\n"
  "/* matrix times vector */\n"
  "int ex1_matvec(const gsl_matrix *M, const gsl_vector *in, gsl_vector *res) {\n"
  "    if (M->size2 != in->size || M->size1 != res->size)\n"
  "        GSL_ERROR(\"bad shapes\", GSL_EBADLEN);\n"
  "    for (size_t r = 0; r < M->size1; r++)\n"
  "    {\n"
  "        double t = 0.0;\n"
  "        for (size_t q = 0; q < M->size2; q++)\n"
  "            t += gsl_matrix_get(M, r, q) * gsl_vector_get(in, q);\n"
  "        gsl_vector_set(res, r, t);\n"
  "    }\n"
  "    return GSL_SUCCESS;\n"
  "}\n"
  "\n"
  "int ex1_central_difference(const gsl_function *fn, double at, double step, double *out) {\n"
  "    if (!(step > 0.0) || !isfinite(step)) GSL_ERROR(\"bad step\", GSL_EDOM);\n"
  "    *out = (GSL_FN_EVAL(fn, at + step) - GSL_FN_EVAL(fn, at - step)) / (2.0 * step);\n"
  "    return GSL_SUCCESS;\n"
  "}\n"
  "\n"
  "int ex1_poly_derivative(const gsl_vector *coef, gsl_vector *deriv) {\n"
  "    if (coef->size == 0 || coef->size != deriv->size)\n"
  "        GSL_ERROR(\"sizes\", GSL_EBADLEN);\n"
  "    for (size_t p = 0; p + 1 < coef->size; p++)\n"
  "        gsl_vector_set(deriv, p, (double)(p + 1) * gsl_vector_get(coef, p + 1));\n"
  "    gsl_vector_set(deriv, coef->size - 1, 0.0);\n"
  "    return GSL_SUCCESS;\n"
  "}\n";

/* Written without looking at alice's: other loops, other calls, other
 * checks. */
static const char dave[] =
  "/* exercise1.c, Dave's attempt. */\n"
  "#include \"exercise1.h\"\n"
  "\n"
  "static int\n"
  "fits(size_t want, size_t have)\n"
  "{\n"
  "  return want == have;\n"
  "}\n"
  "\n"
  "int\n"
  "ex1_dot(const gsl_vector *x, const gsl_vector *y, double *result)\n"
  "{\n"
  "  size_t len = x->size;\n"
  "  if (!fits(len, y->size))\n"
  "    return GSL_EBADLEN;\n"
  "  const double *px = x->data, *py = y->data;\n"
  "  double total = 0;\n"
  "  size_t k = 0;\n"
  "  while (k < len) {\n"
  "    total += px[k * x->stride] * py[k * y->stride];\n"
  "    ++k;\n"
  "  }\n"
  "  *result = total;\n"
  "  return GSL_SUCCESS;\n"
  "}\n"
  "\n"
  "int\n"
  "ex1_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y)\n"
  "{\n"
  "  if (!fits(W->size1, y->size) || !fits(W->size2, x->size))\n"
  "    return GSL_EBADLEN;\n"
  "  size_t row = W->size1;\n"
  "  while (row-- > 0) {\n"
  "    gsl_vector_const_view r = gsl_matrix_const_row(W, row);\n"
  "    double value;\n"
  "    int status = ex1_dot(&r.vector, x, &value);\n"
  "    if (status != GSL_SUCCESS)\n"
  "      return status;\n"
  "    *gsl_vector_ptr(y, row) = value;\n"
  "  }\n"
  "  return GSL_SUCCESS;\n"
  "}\n"
  "\n"
  "int\n"
  "ex1_central_difference(const gsl_function *f, double x, double h, double *result)\n"
  "{\n"
  "  if (isnan(h) || isinf(h) || h <= 0)\n"
  "    return GSL_EDOM;\n"
  "  double right = f->function(x + h, f->params);\n"
  "  double left = f->function(x - h, f->params);\n"
  "  *result = 0.5 * (right - left) / h;\n"
  "  return GSL_SUCCESS;\n"
  "}\n"
  "\n"
  "int\n"
  "ex1_poly_derivative(const gsl_vector *c, gsl_vector *dc)\n"
  "{\n"
  "  size_t degree = c->size;\n"
  "  if (degree == 0 || !fits(degree, dc->size))\n"
  "    return GSL_EBADLEN;\n"
  "  double carry = 0.0;\n"
  "  for (size_t p = degree; p-- > 0;) {\n"
  "    double here = gsl_vector_get(c, p);\n"
  "    gsl_vector_set(dc, p, carry);\n"
  "    carry = here * (double) p;\n"
  "  }\n"
  "  return GSL_SUCCESS;\n"
  "}\n";

/* Function NAME of TEXT, from "int\nNAME(" to its closing brace. */
static char *
function_of(const char *text, const char *name)
{
  char header[128];
  snprintf(header, sizeof header, "int\n%s(", name);
  const char *start = strstr(text, header);
  assert_non_null(start);
  const char *end = strstr(start, "\n}\n");
  assert_non_null(end);
  size_t n = (size_t) (end - start) + 3;
  char *f = malloc(n + 1);
  assert_non_null(f);
  memcpy(f, start, n);
  f[n] = '\0';
  return f;
}

/* carol: alice's dot, matvec and derivative, dave's central difference,
 * with the order changed. The caller frees it. */
static char *
make_carol(void)
{
  char *dot = function_of(alice, "ex1_dot");
  char *matvec = function_of(alice, "ex1_matvec");
  char *poly = function_of(alice, "ex1_poly_derivative");
  char *central = function_of(dave, "ex1_central_difference");
  size_t n = strlen(dot) + strlen(matvec) + strlen(poly) + strlen(central) + 200;
  char *c = malloc(n);
  assert_non_null(c);
  snprintf(c, n, "#include <math.h>\n#include \"exercise1.h\"\n\n%s\n%s\n%s\n%s",
           central, poly, dot, matvec);
  free(dot);
  free(matvec);
  free(poly);
  free(central);
  return c;
}

/* alice with her four functions in the reverse order. */
static char *
make_reversed(void)
{
  const char *names[] = {"ex1_poly_derivative", "ex1_central_difference",
                         "ex1_matvec", "ex1_dot"};
  size_t n = strlen(alice) + 100;
  char *r = malloc(n);
  assert_non_null(r);
  snprintf(r, n, "#include \"exercise1.h\"\n\n");
  for (size_t i = 0; i < 4; i++) {
    char *f = function_of(alice, names[i]);
    strncat(r, f, n - strlen(r) - 1);
    strncat(r, "\n", n - strlen(r) - 1);
    free(f);
  }
  return r;
}

/* ===== Setup ===== */

static int
setup(void **state)
{
  (void) state;
  const char *s = getenv("NN_TOP_SRCDIR"), *b = getenv("NN_TOP_BUILDDIR");
  if (s == NULL || b == NULL)
    return -1;
  snprintf(top_src, sizeof top_src, "%s", s);
  snprintf(out_dir, sizeof out_dir, "%s/tests/out/similar", b);
  char path[1400];
  snprintf(path, sizeof path, "%s/tests/fixtures/solutions/ex01/exercise1.c", top_src);
  alice = slurp(path, NULL);
  snprintf(path, sizeof path, "%s/exercises/ex01/exercise1.c", top_src);
  stub = slurp(path, NULL);
  if (alice == NULL || stub == NULL || make_dirs(out_dir) != 0)
    return -1;
  return 0;
}

static int
teardown(void **state)
{
  (void) state;
  free(alice);
  free(stub);
  return 0;
}

/* ===== Tokens ===== */

static void
tokenize(const char *text, nng_similar_token **t, size_t *n)
{
  size_t ignored;
  assert_int_equal(nng_similar_tokenize(text, strlen(text), t, n, &ignored), 0);
}

/* The kind the tokenizer gives the single token TEXT. */
static uint32_t
kind_of(const char *text)
{
  nng_similar_token *t;
  size_t n;
  tokenize(text, &t, &n);
  assert_int_equal(n, 1);
  uint32_t k = t[0].kind;
  free(t);
  return k;
}

static void
tokens_drop_comments_layout_and_includes(void **state)
{
  (void) state;
  const char *text =
    "#include <gsl/gsl_vector.h>  /* a header */\n"  /* 1 */
    "# include \"a//b.h\"\n"                          /* 2 */
    "// a comment \\\n"                               /* 3 */
    "   that goes on\n"                               /* 4 */
    "static const double\n"                           /* 5 */
    "  total = 2.385 ; /* spans\n"                    /* 6 */
    "   two lines */ { name = \"a\" \"b\"; }\n";      /* 7 */
  nng_similar_token *t;
  size_t n;
  tokenize(text, &t, &n);
  /* double IDENT = NUMBER ; IDENT = STRING ; */
  assert_int_equal(n, 9);
  assert_int_equal(t[0].kind, kind_of("double"));
  assert_int_equal(t[0].line, 5);
  assert_int_equal(t[1].kind, NNG_SIMILAR_IDENT);
  assert_int_equal(t[1].line, 6);
  assert_int_equal(t[2].kind, kind_of("="));
  assert_int_equal(t[3].kind, NNG_SIMILAR_NUMBER);
  assert_int_equal(t[4].kind, kind_of(";"));
  assert_int_equal(t[5].kind, NNG_SIMILAR_IDENT);
  assert_int_equal(t[5].line, 7);
  assert_int_equal(t[7].kind, NNG_SIMILAR_STRING);  /* "a" "b" is one literal */
  assert_int_equal(t[8].kind, kind_of(";"));
  free(t);
  /* An #include that a backslash continues is dropped whole, and its lines
   * are counted, as a line comment's are. */
  tokenize("#include <a\\\nb.h> int y;\nint x;", &t, &n);
  assert_int_equal(n, 3);
  assert_int_equal(t[0].kind, kind_of("int"));
  assert_int_equal(t[0].line, 3);
  free(t);
}

static void
tokens_keep_what_cannot_be_renamed(void **state)
{
  (void) state;
  /* Names the student chose are all alike ... */
  assert_int_equal(kind_of("sum"), NNG_SIMILAR_IDENT);
  assert_int_equal(kind_of("my_helper"), NNG_SIMILAR_IDENT);
  assert_int_equal(kind_of("'x'"), NNG_SIMILAR_CHAR);
  assert_int_equal(kind_of("0x1Fp-3"), NNG_SIMILAR_NUMBER);
  assert_int_equal(kind_of("L\"wide\""), NNG_SIMILAR_STRING);
  /* ... names of the API and of C are not. */
  uint32_t get = kind_of("gsl_vector_get"), set = kind_of("gsl_vector_set");
  assert_true(get != NNG_SIMILAR_IDENT && set != NNG_SIMILAR_IDENT && get != set);
  assert_true(kind_of("GSL_EBADLEN") != NNG_SIMILAR_IDENT);
  assert_true(kind_of("ex1_dot") != NNG_SIMILAR_IDENT);
  assert_true(kind_of("EX3_RELU") != NNG_SIMILAR_IDENT);
  assert_int_equal(kind_of("ex_1"), NNG_SIMILAR_IDENT);
  assert_true(kind_of("size_t") != NNG_SIMILAR_IDENT);
  assert_true(kind_of("for") != kind_of("while"));
  /* A C function is kept where it is called, not as a variable's name. */
  nng_similar_token *t;
  size_t n;
  tokenize("exp(x); exp = 1;", &t, &n);
  assert_int_equal(n, 9);
  assert_true(t[0].kind != NNG_SIMILAR_IDENT);
  assert_int_equal(t[5].kind, NNG_SIMILAR_IDENT);
  free(t);
  /* A member after -> or . (GSL's, the exercise's), a variable elsewhere. */
  tokenize("x->size; size; layer.W;", &t, &n);
  assert_int_equal(n, 10);
  assert_true(t[2].kind != NNG_SIMILAR_IDENT);
  assert_int_equal(t[4].kind, NNG_SIMILAR_IDENT);
  assert_int_equal(t[6].kind, NNG_SIMILAR_IDENT);
  assert_true(t[8].kind != NNG_SIMILAR_IDENT);
  free(t);
  /* #define keeps its tokens, one more for the directive. */
  tokenize("#define N 3\nint a[N];", &t, &n);
  assert_int_equal(n, 9);
  assert_int_equal(t[1].kind, NNG_SIMILAR_IDENT);
  assert_int_equal(t[3].kind, kind_of("int"));
  assert_int_equal(t[3].line, 2);
  free(t);
}

/* ===== Winnowing ===== */

static uint64_t rng_state = 2385;

static uint64_t
next_random(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Tokens that all differ in kind. */
static const char *const words[] = {
  "for", "while", "if", "else", "return", "int", "double", "char", "sizeof",
  "+", "-", "*", "/", "%", "=", "==", "<", ">", "(", ")", "[", "]", ";", ",",
  "gsl_vector_get", "gsl_vector_set", "gsl_matrix_get", "GSL_SUCCESS", "NULL",
  "size_t"
};
#define N_WORDS (sizeof words / sizeof words[0])

/* Append N random tokens, one a line, to BUF. */
static void
random_tokens(char *buf, size_t cap, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    strncat(buf, words[next_random() % N_WORDS], cap - strlen(buf) - 1);
    strncat(buf, "\n", cap - strlen(buf) - 1);
  }
}

/* The paper's guarantee: a passage of t = w + k - 1 tokens that two files
 * share is always caught, wherever it sits; and a passage shorter than k is
 * never caught. Random files with one passage in common, 300 times. */
static void
winnowing_catches_every_passage_of_w_plus_k_minus_1_tokens(void **state)
{
  (void) state;
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  const size_t t = opt.window + opt.k - 1;
  static char a[16384], b[16384], passage[4096];
  for (int trial = 0; trial < 300; trial++) {
    for (int shorter = 0; shorter < 2; shorter++) {
      passage[0] = a[0] = b[0] = '\0';
      random_tokens(passage, sizeof passage, shorter ? opt.k - 1 : t);
      /* Different tokens around the passage (a ',' in A, a '.' in B), so
       * that it does not grow by chance. */
      random_tokens(a, sizeof a, 5 + next_random() % 60);
      strcat(a, ",\n");
      strcat(a, passage);
      strcat(a, ",\n");
      random_tokens(a, sizeof a, next_random() % 60);
      random_tokens(b, sizeof b, 5 + next_random() % 60);
      strcat(b, ".\n");
      strcat(b, passage);
      strcat(b, ".\n");
      random_tokens(b, sizeof b, next_random() % 60);
      nng_similar_doc da, db;
      assert_int_equal(nng_similar_doc_from_text(a, strlen(a), &opt, &da), 0);
      assert_int_equal(nng_similar_doc_from_text(b, strlen(b), &opt, &db), 0);
      nng_similar_pair p;
      memset(&p, 0, sizeof p);
      assert_int_equal(nng_similar_doc_compare(&da, &db, &p), 0);
      if (shorter) {
        assert_int_equal(p.shared, 0);
      } else {
        assert_true(p.shared >= 1);
        assert_true(p.n_ranges >= 1);
      }
      nng_similar_pair_clear(&p);
      nng_similar_doc_free(&da);
      nng_similar_doc_free(&db);
    }
  }
}

/* Winnowing keeps about 2/(w + 1) of the k-grams, and at least one in any
 * w consecutive ones. */
static void
winnowing_keeps_about_two_in_w_plus_1(void **state)
{
  (void) state;
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  opt.max_fingerprints = 1000000;
  size_t cap = 200000;
  char *text = calloc(cap, 1);
  assert_non_null(text);
  random_tokens(text, cap, 20000);
  nng_similar_doc d;
  assert_int_equal(nng_similar_doc_from_text(text, strlen(text), &opt, &d), 0);
  double kgrams = (double) (d.n_tokens - opt.k + 1);
  double density = (double) d.n_fp / kgrams, expected = 2.0 / (double) (opt.window + 1);
  assert_true(density > 0.8 * expected && density < 1.2 * expected);
  assert_true((double) d.n_fp >= kgrams / (double) opt.window);
  nng_similar_doc_free(&d);
  /* A run of one token ("; ; ; ...") has one hash: robust winnowing records
   * it once per window, not once per k-gram. */
  memset(text, 0, cap);
  for (size_t i = 0; i < 1000; i++)
    strcat(text, "; ");
  assert_int_equal(nng_similar_doc_from_text(text, strlen(text), &opt, &d), 0);
  assert_true(d.n_fp <= (1000 - opt.k + 1) / opt.window + 1);
  assert_int_equal(d.n_distinct, 1);
  nng_similar_doc_free(&d);
  free(text);
}

/* ===== Pairs ===== */

static void
renamed_and_reformatted_copy_scores_at_least_90_percent(void **state)
{
  (void) state;
  nng_similar_pair p;
  compare_texts(alice, bob, &p);
  print_message("alice ~ bob: %.1f%% (%zu of %zu/%zu)\n", 100 * p.similarity, p.shared,
                p.size_a, p.size_b);
  assert_true(p.similarity >= 0.9);
  assert_true(p.size_a >= 20);  /* something left to compare after the base */
  nng_similar_pair_clear(&p);
}

static void
reordered_copy_scores_high(void **state)
{
  (void) state;
  char *reversed = make_reversed();
  nng_similar_pair p;
  compare_texts(alice, reversed, &p);
  print_message("alice ~ reversed: %.1f%%, %zu ranges\n", 100 * p.similarity,
                p.n_ranges);
  assert_true(p.similarity >= 0.8);
  assert_true(p.n_ranges >= 4);  /* each function found in its new place */
  nng_similar_pair_clear(&p);
  free(reversed);
}

static void
independent_solutions_score_low(void **state)
{
  (void) state;
  nng_similar_pair p;
  compare_texts(alice, dave, &p);
  print_message("alice ~ dave: %.1f%% (%zu of %zu/%zu)\n", 100 * p.similarity, p.shared,
                p.size_a, p.size_b);
  assert_true(p.similarity < 0.15);
  nng_similar_pair_clear(&p);
  compare_texts(bob, dave, &p);
  assert_true(p.similarity < 0.15);
  nng_similar_pair_clear(&p);
}

static void
stub_copies_count_for_nothing(void **state)
{
  (void) state;
  /* Another copy of the stub: comments and layout changed. */
  const char *other =
    "// started exercise 1, nothing works yet\n"
    "#include \"exercise1.h\"\n"
    "int ex1_dot(const gsl_vector *x, const gsl_vector *y, double *result) {\n"
    "  (void) x; (void) y; (void) result;\n"
    "  return GSL_EUNIMPL;  // later\n"
    "}\n"
    "int ex1_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y) {\n"
    "  (void) W; (void) x; (void) y;\n"
    "  return GSL_EUNIMPL;\n"
    "}\n"
    "int ex1_central_difference(const gsl_function *f, double x, double h,\n"
    "                           double *result) {\n"
    "  (void) f; (void) x; (void) h; (void) result;\n"
    "  return GSL_EUNIMPL;\n"
    "}\n"
    "int ex1_poly_derivative(const gsl_vector *c, gsl_vector *dc) {\n"
    "  (void) c; (void) dc;\n"
    "  return GSL_EUNIMPL;\n"
    "}\n";
  nng_similar_pair p;
  compare_texts(stub, other, &p);
  assert_int_equal(p.shared, 0);
  assert_close(p.similarity, 0.0, 0.0);
  nng_similar_pair_clear(&p);
  /* Without the base, the two are nearly the same file. */
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  nng_similar_doc da, db;
  assert_int_equal(nng_similar_doc_from_text(stub, strlen(stub), &opt, &da), 0);
  assert_int_equal(nng_similar_doc_from_text(other, strlen(other), &opt, &db), 0);
  memset(&p, 0, sizeof p);
  assert_int_equal(nng_similar_doc_compare(&da, &db, &p), 0);
  assert_true(p.similarity > 0.9);
  nng_similar_pair_clear(&p);
  nng_similar_doc_free(&da);
  nng_similar_doc_free(&db);
}

/* ===== A class ===== */

typedef struct student {
  const char *name;
  char path[1500];
  nng_similar_file file;
} student;

/* Run the class NAMES/TEXTS (written under CASE) with the stub as base and
 * REFS; the report goes to CASE/report.md. */
static void
run_class(const char *test_case, const char *const *names, const char *const *texts,
          size_t n, const nng_similar_reference *refs, size_t n_refs,
          const nng_similar_options *opt, nng_similar_result *res, char **report)
{
  student st[16];
  nng_similar_submission subs[16];
  assert_true(n <= 16);
  for (size_t i = 0; i < n; i++) {
    st[i].name = names[i];
    put_file(test_case, names[i], texts[i], strlen(texts[i]), st[i].path,
             sizeof st[i].path);
    st[i].file.exercise = 1;
    st[i].file.path = st[i].path;
    subs[i].name = names[i];
    subs[i].files = &st[i].file;
    subs[i].n_files = 1;
  }
  char base_path[1400];
  snprintf(base_path, sizeof base_path, "%s/exercises/ex01/exercise1.c", top_src);
  nng_similar_file base = {1, base_path};
  char why[256] = "";
  assert_int_equal(nng_similar_run(subs, n, &base, 1, refs, n_refs, opt, res, why,
                                   sizeof why), 0);
  char path[1400];
  snprintf(path, sizeof path, "%s/%s/report.md", out_dir, test_case);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  nng_similar_report_write(f, res);
  assert_int_equal(fclose(f), 0);
  *report = slurp(path, NULL);
  assert_non_null(*report);
}

/* The pair of A and B in RES, or NULL; its rank (from 0) in *RANK. */
static const nng_similar_pair *
find_pair(const nng_similar_result *res, const char *a, const char *b, size_t *rank)
{
  for (size_t i = 0; i < res->n_pairs; i++) {
    const nng_similar_pair *p = &res->pairs[i];
    if ((strcmp(p->a, a) == 0 && strcmp(p->b, b) == 0)
        || (strcmp(p->a, b) == 0 && strcmp(p->b, a) == 0)) {
      if (rank != NULL)
        *rank = i;
      return p;
    }
  }
  return NULL;
}

static void
class_is_ranked_most_similar_first(void **state)
{
  (void) state;
  char *carol = make_carol();
  const char *names[] = {"alice", "bob", "carol", "dave", "eve"};
  const char *texts[] = {alice, bob, carol, dave, stub};
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  opt.threshold = 0.0;  /* every pair that shares anything */
  opt.min_shared = 1;
  nng_similar_result res;
  char *report;
  run_class("ranking", names, texts, 5, NULL, 0, &opt, &res, &report);
  for (size_t i = 0; i < res.n_pairs; i++)
    print_message("%zu. %s ~ %s %.0f%%\n", i + 1, res.pairs[i].a, res.pairs[i].b,
                  100 * res.pairs[i].similarity);
  size_t r_ab, r_ac, r_bc, r_cd;
  const nng_similar_pair *ab = find_pair(&res, "alice", "bob", &r_ab);
  const nng_similar_pair *ac = find_pair(&res, "alice", "carol", &r_ac);
  const nng_similar_pair *bc = find_pair(&res, "bob", "carol", &r_bc);
  const nng_similar_pair *cd = find_pair(&res, "carol", "dave", &r_cd);
  assert_non_null(ab);
  assert_non_null(ac);
  assert_non_null(bc);
  assert_non_null(cd);
  assert_int_equal(r_ab, 0);
  assert_true(r_ac < r_cd && r_bc < r_cd);
  assert_true(ac->similarity >= 0.6);
  assert_true(cd->similarity >= 0.15);
  /* Ranked by similarity, never increasing. */
  for (size_t i = 1; i < res.n_pairs; i++)
    assert_true(res.pairs[i].similarity <= res.pairs[i - 1].similarity);
  /* The stub shares nothing with anyone once the base is removed. */
  for (size_t i = 0; i < res.n_pairs; i++)
    assert_true(strcmp(res.pairs[i].a, "eve") != 0 && strcmp(res.pairs[i].b, "eve") != 0);
  /* alice and dave: far below the default threshold, if there at all. */
  const nng_similar_pair *ad = find_pair(&res, "alice", "dave", NULL);
  assert_true(ad == NULL || ad->similarity < 0.15);
  assert_int_equal(res.n_exercises, 1);
  assert_int_equal(res.exercises[0].n_submissions, 5);
  assert_true(res.exercises[0].has_base);
  /* The report's first row is alice and bob. */
  const char *row = strstr(report, "| 1 | 1 | ");
  assert_non_null(row);
  assert_true(strncmp(row, "| 1 | 1 | alice | bob | ", 24) == 0);
  free(report);
  nng_similar_result_free(&res);

  /* With the default threshold only the copies are listed. */
  nng_similar_options_default(&opt);
  run_class("ranking-default", names, texts, 5, NULL, 0, &opt, &res, &report);
  assert_non_null(find_pair(&res, "alice", "bob", NULL));
  assert_non_null(find_pair(&res, "alice", "carol", NULL));
  assert_null(find_pair(&res, "alice", "dave", NULL));
  assert_null(find_pair(&res, "bob", "dave", NULL));
  free(report);
  nng_similar_result_free(&res);
  free(carol);
}

static void
matched_lines_point_at_the_copied_lines(void **state)
{
  (void) state;
  char *carol = make_carol();
  const char *names[] = {"alice", "carol"};
  const char *texts[] = {alice, carol};
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  nng_similar_result res;
  char *report;
  run_class("lines", names, texts, 2, NULL, 0, &opt, &res, &report);
  const nng_similar_pair *p = find_pair(&res, "alice", "carol", NULL);
  assert_non_null(p);
  assert_string_equal(p->a, "alice");
  for (size_t r = 0; r < p->n_ranges; r++)
    print_message("range %u-%u ~ %u-%u\n", (unsigned) p->ranges[r].a_first,
                  (unsigned) p->ranges[r].a_last, (unsigned) p->ranges[r].b_first,
                  (unsigned) p->ranges[r].b_last);
  /* Each function carol took: where it is in alice's file and in hers. */
  const char *taken[] = {"ex1_dot", "ex1_matvec", "ex1_poly_derivative"};
  for (size_t f = 0; f < 3; f++) {
    unsigned a_first, a_last, b_first, b_last;
    function_lines(alice, taken[f], &a_first, &a_last);
    function_lines(carol, taken[f], &b_first, &b_last);
    print_message("%s: alice %u-%u, carol %u-%u\n", taken[f], a_first, a_last, b_first,
                  b_last);
    /* A range that covers the body on both sides and lines them up: the
     * function's shift from alice's file to carol's is the range's.
     * (Functions copied one after the other may make one range. The
     * header is base code; the last few tokens of a file may be in no
     * selected k-gram.) */
    int found = 0;
    for (size_t r = 0; r < p->n_ranges; r++) {
      const nng_similar_range *g = &p->ranges[r];
      long shift = (long) b_first - (long) a_first;
      long range_shift = (long) g->b_first - (long) g->a_first;
      if (g->a_first <= a_first + 3 && g->a_last + 3 >= a_last
          && g->b_first <= b_first + 3 && g->b_last + 3 >= b_last
          && labs(shift - range_shift) <= 2)
        found = 1;
    }
    assert_true(found);
  }
  /* Nothing matches inside dave's function, which carol took instead: at
   * most its header and first keyword, which every solution has. */
  unsigned c_first, c_last;
  function_lines(carol, "ex1_central_difference", &c_first, &c_last);
  for (size_t r = 0; r < p->n_ranges; r++)
    assert_true(p->ranges[r].b_last < c_first + 3 || p->ranges[r].b_first > c_last - 2);
  /* And the report shows the ranges. */
  char cell[64];
  snprintf(cell, sizeof cell, "%u-%u ~ %u-%u", (unsigned) p->ranges[0].a_first,
           (unsigned) p->ranges[0].a_last, (unsigned) p->ranges[0].b_first,
           (unsigned) p->ranges[0].b_last);
  assert_non_null(strstr(report, cell));
  free(report);
  nng_similar_result_free(&res);
  free(carol);
}

static void
copying_the_library_is_matched_to_it(void **state)
{
  (void) state;
  /* frank pasted the library's nn_linalg_dot and nn_deriv_central into his
   * exercise; the rest is dave's. */
  char linalg_path[1400], deriv_path[1400];
  snprintf(linalg_path, sizeof linalg_path, "%s/lib/linalg.c", top_src);
  snprintf(deriv_path, sizeof deriv_path, "%s/lib/deriv.c", top_src);
  char *linalg = slurp(linalg_path, NULL);
  assert_non_null(linalg);
  char *lib_dot = function_of(linalg, "nn_linalg_dot");
  char *matvec = function_of(dave, "ex1_matvec");
  char *central = function_of(dave, "ex1_central_difference");
  char *poly = function_of(dave, "ex1_poly_derivative");
  /* nn_linalg_dot becomes ex1_dot; the rest of its text is unchanged. */
  char *renamed = strstr(lib_dot, "nn_linalg_dot(");
  assert_non_null(renamed);
  size_t n = strlen(lib_dot) + strlen(matvec) + strlen(central) + strlen(poly) + 400;
  char *frank = malloc(n);
  assert_non_null(frank);
  snprintf(frank, n, "#include <stdio.h>\n#include \"exercise1.h\"\n\n"
           "static int fits(size_t a, size_t b) { return a == b; }\n\n"
           "int\nex1_dot%s\n%s\n%s\n%s", renamed + strlen("nn_linalg_dot"), matvec,
           central, poly);
  const char *names[] = {"alice", "dave", "frank"};
  const char *texts[] = {alice, dave, frank};
  nng_similar_reference refs[] = {
    {"lib/linalg.c", linalg_path, 0},
    {"lib/deriv.c", deriv_path, 0},
    {"lib/missing.c", "/nonexistent/lib/missing.c", 0},
  };
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  opt.threshold = 0.2;
  nng_similar_result res;
  char *report;
  run_class("library", names, texts, 3, refs, 3, &opt, &res, &report);
  const nng_similar_pair *p = find_pair(&res, "frank", "lib/linalg.c", NULL);
  assert_non_null(p);
  assert_true(p->b_is_reference);
  print_message("frank ~ lib/linalg.c: %.0f%%\n", 100 * p->similarity);
  assert_non_null(strstr(report, "lib/linalg.c (reference)"));
  assert_non_null(strstr(report, "lib/missing.c"));  /* noted */
  assert_int_equal(res.exercises[0].n_references, 2);
  /* dave wrote his own: not listed against the library. */
  assert_null(find_pair(&res, "dave", "lib/linalg.c", NULL));
  free(report);
  nng_similar_result_free(&res);
  free(frank);
  free(lib_dot);
  free(matvec);
  free(central);
  free(poly);
  free(linalg);
}

/* When twelve students hand in the same code, it is an idiom among them
 * (the default limit is 10): no pair of them is listed, but each one is
 * listed against the reference it came from. Without the limit, all 66
 * pairs are. */
static void
passages_shared_by_many_are_idioms_but_not_against_the_reference(void **state)
{
  (void) state;
  const char *names[12];
  const char *texts[12];
  char name_buf[12][16];
  for (size_t i = 0; i < 12; i++) {
    snprintf(name_buf[i], sizeof name_buf[i], "s%02zu", i);
    names[i] = name_buf[i];
    texts[i] = i % 2 ? alice : bob;
  }
  char solution[1400];
  snprintf(solution, sizeof solution, "%s/tests/fixtures/solutions/ex01/exercise1.c",
           top_src);
  nng_similar_reference ref = {"reference solution", solution, 1};
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  nng_similar_result res;
  char *report;
  run_class("idioms", names, texts, 12, &ref, 1, &opt, &res, &report);
  assert_int_equal(res.exercises[0].idiom_limit, 10);
  assert_int_equal(res.n_pairs, 12);
  for (size_t i = 0; i < res.n_pairs; i++) {
    assert_true(res.pairs[i].b_is_reference);
    assert_true(res.pairs[i].similarity >= 0.9);
  }
  free(report);
  nng_similar_result_free(&res);

  opt.max_share = SIZE_MAX;
  run_class("no-idioms", names, texts, 12, &ref, 1, &opt, &res, &report);
  assert_int_equal(res.n_pairs, 66 + 12);
  assert_non_null(strstr(report, "| none |"));
  free(report);
  nng_similar_result_free(&res);
}

/* ===== Hostile input ===== */

static void
hostile_files_do_not_crash(void **state)
{
  (void) state;
  /* Straight to the tokenizer: fragments that end in the middle of
   * everything, and random bytes. */
  const char *fragments[] = {
    "", "/*", "/* never closed\nint x;", "//", "\"", "\"never closed\nint y;", "'",
    "\\", "\\\n", "#", "#include", "#include <a/*b.h>\nint z;", "# 12 \"f.c\"\n",
    "#define X \\\n", "L", "u8\"", "0x", ".5e+", "1e", "...", "%:%:", "<%", "a->",
    "\x01\x02\x7f@`", "#if 0\n", "x = 'a", "\"\\", "'\\", "/*/", "//\\\r\n\\",
  };
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  opt.k = 3;
  opt.window = 2;
  for (size_t i = 0; i < sizeof fragments / sizeof fragments[0]; i++) {
    nng_similar_doc d;
    assert_int_equal(nng_similar_doc_from_text(fragments[i], strlen(fragments[i]), &opt,
                                               &d), 0);
    nng_similar_doc_free(&d);
  }
  assert_int_equal(nng_similar_tokenize("/* a */ x", 0, &(nng_similar_token *){NULL},
                                        &(size_t){0}, NULL), 0);
  /* Random bytes from C's alphabet of trouble, and plain random bytes. */
  static const char trouble[] = "/*\"'\\\n#<>%:.0eE+-xLu8 \r\0a";
  char buf[512];
  for (int trial = 0; trial < 2000; trial++) {
    size_t n = next_random() % sizeof buf;
    for (size_t i = 0; i < n; i++)
      buf[i] = trial % 2 ? (char) next_random()
                         : trouble[next_random() % (sizeof trouble - 1)];
    nng_similar_doc d;
    assert_int_equal(nng_similar_doc_from_text(buf, n, &opt, &d), 0);
    nng_similar_doc_free(&d);
  }

  /* A class of broken files, next to a real one. */
  char path[1500];
  const char *test_case = "hostile";
  put_file(test_case, "empty", "", 0, path, sizeof path);
  static char junk[65536];
  for (size_t i = 0; i < sizeof junk; i++)
    junk[i] = (char) next_random();
  junk[100] = '\0';
  put_file(test_case, "binary", junk, sizeof junk, path, sizeof path);
  const char *comment = "int\nex1_dot(void)\n{ /* never closed\n  return 0;\n";
  put_file(test_case, "comment", comment, strlen(comment), path, sizeof path);
  const char *string = "int x = \"never closed;\nint y = 'z;\n";
  put_file(test_case, "string", string, strlen(string), path, sizeof path);
  /* One line of 600 KB. */
  size_t long_n = 600000;
  char *long_line = malloc(long_n + 1);
  assert_non_null(long_line);
  for (size_t i = 0; i < long_n; i += 6)
    memcpy(long_line + i, "x+=1; ", 6);
  put_file(test_case, "long-line", long_line, long_n, path, sizeof path);
  free(long_line);
  /* 2 MiB: skipped. */
  size_t big_n = 2u << 20;
  char *big = malloc(big_n);
  assert_non_null(big);
  memset(big, ';', big_n);
  put_file(test_case, "huge", big, big_n, path, sizeof path);
  free(big);
  put_file(test_case, "alice", alice, strlen(alice), path, sizeof path);
  /* A FIFO would block a reader that does not look first; a link could
   * point anywhere; a folder is not a file. */
  char fifo_dir[1400], fifo[1500], link_dir[1400], link[1500], dir_dir[1400], dir[1500];
  snprintf(fifo_dir, sizeof fifo_dir, "%s/%s/fifo/ex01", out_dir, test_case);
  snprintf(fifo, sizeof fifo, "%s/exercise1.c", fifo_dir);
  assert_int_equal(make_dirs(fifo_dir), 0);
  unlink(fifo);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  snprintf(link_dir, sizeof link_dir, "%s/%s/link/ex01", out_dir, test_case);
  snprintf(link, sizeof link, "%s/exercise1.c", link_dir);
  assert_int_equal(make_dirs(link_dir), 0);
  unlink(link);
  assert_int_equal(symlink(path, link), 0);
  snprintf(dir_dir, sizeof dir_dir, "%s/%s/folder/ex01", out_dir, test_case);
  snprintf(dir, sizeof dir, "%s/exercise1.c", dir_dir);
  assert_int_equal(make_dirs(dir), 0);

  const char *names[] = {"nothing", "empty", "binary", "comment", "string",
                         "long-line", "huge", "alice", "fifo", "link", "folder",
                         "missing"};
  const size_t n_names = sizeof names / sizeof names[0];
  char paths[12][1500];
  nng_similar_file files[12];
  nng_similar_submission subs[12];
  for (size_t i = 0; i < n_names; i++) {
    snprintf(paths[i], sizeof paths[i], "%s/%s/%s/ex01/exercise1.c", out_dir, test_case,
             names[i]);
    files[i].exercise = 1;
    files[i].path = paths[i];
    subs[i].name = names[i];
    subs[i].files = &files[i];
    subs[i].n_files = 1;
  }
  subs[0].n_files = 0;  /* a student with no file at all */
  nng_similar_options_default(&opt);
  opt.threshold = 0.0;
  opt.min_shared = 1;
  nng_similar_result res;
  char why[256];
  assert_int_equal(nng_similar_run(subs, n_names, NULL, 0, NULL, 0, &opt, &res, why,
                                   sizeof why), 0);
  assert_non_null(res.notes);
  print_message("%s", res.notes);
  assert_non_null(strstr(res.notes, "huge, exercise 1"));
  assert_non_null(strstr(res.notes, "larger than 1 MiB"));
  assert_non_null(strstr(res.notes, "fifo, exercise 1"));
  assert_non_null(strstr(res.notes, "not a regular file"));
  assert_non_null(strstr(res.notes, "link, exercise 1"));
  assert_non_null(strstr(res.notes, "symbolic link"));
  assert_non_null(strstr(res.notes, "folder, exercise 1"));
  assert_non_null(strstr(res.notes, "missing, exercise 1"));
  assert_non_null(strstr(res.notes, "binary, exercise 1"));
  /* empty, binary, comment, string, long-line, alice */
  assert_int_equal(res.exercises[0].n_submissions, 6);
  char report_path[1400];
  snprintf(report_path, sizeof report_path, "%s/%s/report.md", out_dir, test_case);
  FILE *f = fopen(report_path, "w");
  assert_non_null(f);
  nng_similar_report_write(f, &res);
  assert_int_equal(fclose(f), 0);
  nng_similar_result_free(&res);
  unlink(fifo);
}

static void
bad_options_and_names_are_handled(void **state)
{
  (void) state;
  nng_similar_options opt;
  nng_similar_options_default(&opt);
  nng_similar_result res;
  char why[256] = "";
  opt.k = 0;
  assert_int_equal(nng_similar_run(NULL, 0, NULL, 0, NULL, 0, &opt, &res, why,
                                   sizeof why), -1);
  assert_non_null(strstr(why, "k-gram"));
  nng_similar_result_free(&res);
  nng_similar_options_default(&opt);
  opt.threshold = 1.5;
  assert_int_equal(nng_similar_run(NULL, 0, NULL, 0, NULL, 0, &opt, &res, why,
                                   sizeof why), -1);
  assert_non_null(strstr(why, "threshold"));
  nng_similar_result_free(&res);
  /* No submissions: an empty report. */
  nng_similar_options_default(&opt);
  assert_int_equal(nng_similar_run(NULL, 0, NULL, 0, NULL, 0, &opt, &res, why,
                                   sizeof why), 0);
  assert_int_equal(res.n_pairs, 0);
  nng_similar_result_free(&res);
  /* A name made to break the table is written harmlessly. */
  const char *names[] = {"a|b\nc", "bob"};
  const char *texts[] = {alice, bob};
  char *report;
  run_class("names", names, texts, 2, NULL, 0, &opt, &res, &report);
  assert_non_null(strstr(report, "| a\\|b?c | bob |"));
  free(report);
  nng_similar_result_free(&res);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tokens_drop_comments_layout_and_includes),
    cmocka_unit_test(tokens_keep_what_cannot_be_renamed),
    cmocka_unit_test(winnowing_catches_every_passage_of_w_plus_k_minus_1_tokens),
    cmocka_unit_test(winnowing_keeps_about_two_in_w_plus_1),
    cmocka_unit_test(renamed_and_reformatted_copy_scores_at_least_90_percent),
    cmocka_unit_test(reordered_copy_scores_high),
    cmocka_unit_test(independent_solutions_score_low),
    cmocka_unit_test(stub_copies_count_for_nothing),
    cmocka_unit_test(class_is_ranked_most_similar_first),
    cmocka_unit_test(matched_lines_point_at_the_copied_lines),
    cmocka_unit_test(copying_the_library_is_matched_to_it),
    cmocka_unit_test(passages_shared_by_many_are_idioms_but_not_against_the_reference),
    cmocka_unit_test(hostile_files_do_not_crash),
    cmocka_unit_test(bad_options_and_names_are_handled),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
