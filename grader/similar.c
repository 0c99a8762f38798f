/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar.c: fingerprints of C sources and the pairs that share them (see
 * similar.h). The k-gram hashing and the winnowing follow Schleimer,
 * Wilkerson and Aiken, "Winnowing: local algorithms for document
 * fingerprinting" (SIGMOD 2003); no packaged library does this, so it is
 * written out here. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "similar.h"

void
nng_similar_options_default(nng_similar_options *opt)
{
  opt->k = 12;
  opt->window = 8;
  opt->threshold = 0.3;
  opt->min_shared = 3;
  opt->max_share = 0;
  opt->max_pairs = 200;
  opt->max_fingerprints = 8192;
}

/* 0 when OPT makes sense, or -1 with what does not in WHY (may be NULL). */
static int
check_options(const nng_similar_options *opt, char *why, size_t why_size)
{
  const char *bad = NULL;
  if (opt == NULL)
    bad = "no options given";
  else if (opt->k < 1 || opt->k > 1000)
    bad = "k (tokens in a k-gram) must be from 1 to 1000";
  else if (opt->window < 1 || opt->window > 1000)
    bad = "the winnowing window must be from 1 to 1000 k-grams";
  else if (!(opt->threshold >= 0.0 && opt->threshold <= 1.0))
    bad = "the threshold must be from 0 to 1";
  else if (opt->max_fingerprints < 1)
    bad = "max_fingerprints must be at least 1";
  if (bad != NULL && why != NULL)
    snprintf(why, why_size, "%s", bad);
  return bad == NULL ? 0 : -1;
}

/* Grow *P (of *CAP elements of SIZE bytes) to hold at least NEED. */
static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap)
    return 0;
  size_t c = *cap > 0 ? *cap : 16;
  while (c < need) {
    if (c > SIZE_MAX / 2 / size)
      return -1;
    c *= 2;
  }
  void *q = realloc(*p, c * size);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

/* ===== Tokens =====
 *
 * A small scanner for C, written to survive anything: it reads bytes, never
 * lines, so a huge line costs nothing, and every loop ends at the end of
 * the buffer, so an unterminated comment or string ends there too. It
 * knows just enough of C to find comments, literals, names, numbers and
 * operators, and the preprocessor's lines.
 *
 * Names are abstracted or kept as similar.h explains; the lists below say
 * which. A kept name, a keyword, an operator and a directive all get a kind
 * that is a hash of their spelling, tagged in the top bits by class, so
 * that the kinds never meet the four abstract ones. */

/* C's keywords (C11, and the GNU spellings students meet). */
static const char *const c_keywords[] = {
  "auto", "break", "case", "char", "continue", "default", "do", "double",
  "else", "enum", "extern", "float", "for", "goto", "if", "int", "long",
  "return", "short", "signed", "sizeof", "struct", "switch", "typedef",
  "union", "unsigned", "void", "while", "_Alignas", "_Alignof", "_Atomic",
  "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
  "_Static_assert", "_Thread_local", "asm", "__asm__", "typeof", "__typeof__",
  "__attribute__", "alignof", "static_assert", NULL
};

/* Words a formatter or a one-word edit adds or removes without changing
 * what the code does: dropped. */
static const char *const dropped_words[] = {
  "const", "volatile", "restrict", "register", "inline", "static",
  "__restrict", "__restrict__", "__inline", "__inline__", "__const",
  "__volatile__", NULL
};

/* Prefixes of API names a student cannot rename: GSL, its CBLAS, the
 * course's library. (exN_ and EXN_, the exercises' API, are checked
 * apart.) A member's name after -> or . is kept too: the structs students
 * use are GSL's (x->size, W->size2) and the exercise header's. */
static const char *const kept_prefixes[] = {
  "gsl_", "GSL_", "cblas_", "Cblas", "CBLAS", "nn_", "NN_", NULL
};

/* The C library's types, constants and macros: kept wherever they are. */
static const char *const kept_names[] = {
  "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "int8_t",
  "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t",
  "uint64_t", "bool", "true", "false", "NULL", "FILE", "EOF", "stdin",
  "stdout", "stderr", "errno", "EXIT_SUCCESS", "EXIT_FAILURE", "SIZE_MAX",
  "INT_MAX", "INT_MIN", "LONG_MAX", "DBL_MAX", "DBL_MIN", "DBL_EPSILON",
  "HUGE_VAL", "INFINITY", "NAN", "M_PI", "M_E", "M_SQRT2", "assert", NULL
};

/* The C library's functions: kept where they are called (a student may
 * well name a variable exp or log). */
static const char *const kept_calls[] = {
  "malloc", "calloc", "realloc", "free", "memcpy", "memmove", "memset",
  "memcmp", "strlen", "strcmp", "strncmp", "strcpy", "strncpy", "strcat",
  "strchr", "strrchr", "strstr", "strdup", "snprintf", "sprintf", "printf",
  "fprintf", "vsnprintf", "puts", "fputs", "fputc", "putchar", "fopen",
  "fclose", "fread", "fwrite", "fgets", "fscanf", "sscanf", "scanf", "abort",
  "exit", "atoi", "atof", "strtod", "strtol", "strtoul", "qsort", "bsearch",
  "abs", "labs", "fabs", "fabsf", "sqrt", "sqrtf", "exp", "expf", "expm1",
  "log", "logf", "log1p", "log2", "log10", "pow", "powf", "sin", "cos", "tan",
  "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "tanhf", "floor",
  "ceil", "round", "lround", "trunc", "fmod", "fmin", "fmax", "fma", "hypot",
  "cbrt", "erf", "isfinite", "isnan", "isinf", "signbit", "copysign",
  "ldexp", "frexp", NULL
};

/* Directives whose whole line is dropped: they name files or talk to the
 * compiler, and say nothing of what the code does. */
static const char *const dropped_directives[] = {
  "include", "include_next", "import", "pragma", "line", "error", "warning",
  "ident", "sccs", "assert", "unassert", NULL
};

/* Operators and punctuators, longest first, with what each one means
 * (digraphs are their plain spelling; "" for the braces, which are
 * dropped). */
static const struct { const char *text, *as; } punctuators[] = {
  {"%:%:", "##"}, {">>=", ">>="}, {"<<=", "<<="}, {"...", "..."},
  {"->", "->"}, {"++", "++"}, {"--", "--"}, {"<<", "<<"}, {">>", ">>"},
  {"<=", "<="}, {">=", ">="}, {"==", "=="}, {"!=", "!="}, {"&&", "&&"},
  {"||", "||"}, {"*=", "*="}, {"/=", "/="}, {"%=", "%="}, {"+=", "+="},
  {"-=", "-="}, {"&=", "&="}, {"^=", "^="}, {"|=", "|="}, {"##", "##"},
  {"<:", "["}, {":>", "]"}, {"<%", ""}, {"%>", ""}, {"%:", "#"},
  {"[", "["}, {"]", "]"}, {"(", "("}, {")", ")"}, {"{", ""}, {"}", ""},
  {".", "."}, {"&", "&"}, {"*", "*"}, {"+", "+"}, {"-", "-"}, {"~", "~"},
  {"!", "!"}, {"/", "/"}, {"%", "%"}, {"<", "<"}, {">", ">"}, {"^", "^"},
  {"|", "|"}, {"?", "?"}, {":", ":"}, {";", ";"}, {"=", "="}, {",", ","},
  {"#", "#"}, {NULL, NULL}
};

/* The class tags of spelled kinds. */
#define TAG_KEYWORD   0x10000000u
#define TAG_PUNCT     0x20000000u
#define TAG_DIRECTIVE 0x30000000u
#define TAG_NAME      0x40000000u

/* FNV-1a, 32 bits, of S[0..N). */
static uint32_t
fnv32(const unsigned char *s, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 16777619u;
  }
  return h;
}

static uint32_t
spelled_kind(uint32_t tag, const unsigned char *s, size_t n)
{
  return tag | (fnv32(s, n) & 0x0fffffffu);
}

/* Is S[0..N) one of LIST? */
static int
in_list(const char *const *list, const unsigned char *s, size_t n)
{
  for (; *list != NULL; list++)
    if ((unsigned char) (*list)[0] == s[0] && strlen(*list) == n
        && memcmp(*list, s, n) == 0)
      return 1;
  return 0;
}

static int
is_ident_start(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'
         || c >= 0x80;  /* UTF-8 in names, as GCC allows */
}

static int
is_ident_char(unsigned char c)
{
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int
is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

typedef struct scanner {
  const unsigned char *s;   /* the text */
  size_t n, i;              /* its length; where the scanner is */
  uint32_t line;            /* the line of s[i] */
  int line_start;           /* only blanks and comments since the line began */
  int directive;            /* 0 code; 1 a directive kept; 2 one dropped */
  uint32_t last_kind;       /* the kind of the last token emitted (0: none) */
  nng_similar_token *tok;
  size_t n_tok, cap;
  size_t ignored;
  int failed;               /* out of memory */
} scanner;

static void
emit(scanner *sc, uint32_t kind, uint32_t line)
{
  if (sc->directive == 2 || sc->failed)
    return;
  /* "abc" "def" is one literal to the compiler: one token here. */
  if (kind == NNG_SIMILAR_STRING && sc->last_kind == NNG_SIMILAR_STRING)
    return;
  if (grow((void **) &sc->tok, &sc->cap, sc->n_tok + 1, sizeof *sc->tok) != 0) {
    sc->failed = 1;
    return;
  }
  sc->tok[sc->n_tok].kind = kind;
  sc->tok[sc->n_tok].line = line;
  sc->n_tok++;
  sc->last_kind = kind;
}

/* A backslash that ends the line at s[i]: its length (2 or 3), or 0. */
static size_t
splice_at(const scanner *sc, size_t i)
{
  if (i + 1 < sc->n && sc->s[i] == '\\') {
    if (sc->s[i + 1] == '\n')
      return 2;
    if (sc->s[i + 1] == '\r' && i + 2 < sc->n && sc->s[i + 2] == '\n')
      return 3;
  }
  return 0;
}

/* A comment at s[i]: skip it (counting its lines) and return 1, or 0. */
static int
skip_comment(scanner *sc)
{
  const unsigned char *s = sc->s;
  size_t i = sc->i, n = sc->n;
  if (i + 1 >= n || s[i] != '/' || (s[i + 1] != '*' && s[i + 1] != '/'))
    return 0;
  if (s[i + 1] == '*') {
    for (i += 2; i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/'); i++)
      if (s[i] == '\n')
        sc->line++;
    sc->i = i < n ? i + 2 : n;  /* unterminated: it ends with the file */
    return 1;
  }
  /* A line comment, which a backslash at the end of the line continues. */
  for (i += 2; i < n && s[i] != '\n';) {
    size_t sp = splice_at(sc, i);
    if (sp > 0) {
      sc->line++;
      i += sp;
    } else {
      i++;
    }
  }
  sc->i = i;  /* the new line is the main loop's */
  return 1;
}

/* A string or character literal opening with the quote at s[i]. It ends at
 * its closing quote, or (unterminated) before the end of the line. */
static void
scan_literal(scanner *sc, uint32_t line)
{
  const unsigned char *s = sc->s;
  unsigned char q = s[sc->i];
  size_t i = sc->i + 1;
  while (i < sc->n) {
    size_t sp = splice_at(sc, i);
    if (sp > 0) {
      sc->line++;
      i += sp;
    } else if (s[i] == '\\') {
      i += i + 1 < sc->n ? 2 : 1;
    } else if (s[i] == q) {
      i++;
      break;
    } else if (s[i] == '\n') {
      break;
    } else {
      i++;
    }
  }
  sc->i = i;
  emit(sc, q == '"' ? NNG_SIMILAR_STRING : NNG_SIMILAR_CHAR, line);
}

/* What the name S[0..N) becomes. */
static uint32_t
name_kind(const scanner *sc, const unsigned char *s, size_t n, int called)
{
  if (in_list(c_keywords, s, n))
    return spelled_kind(TAG_KEYWORD, s, n);
  for (const char *const *p = kept_prefixes; *p != NULL; p++) {
    size_t len = strlen(*p);
    if (n > len && memcmp(s, *p, len) == 0)
      return spelled_kind(TAG_NAME, s, n);
  }
  /* exN_... and EXN_...: the exercise's API, fixed by its header. */
  if (n > 3 && ((s[0] == 'e' && s[1] == 'x') || (s[0] == 'E' && s[1] == 'X'))
      && is_digit(s[2])) {
    size_t j = 2;
    while (j < n && is_digit(s[j]))
      j++;
    if (j < n && s[j] == '_')
      return spelled_kind(TAG_NAME, s, n);
  }
  if (in_list(kept_names, s, n) || (called && in_list(kept_calls, s, n)))
    return spelled_kind(TAG_NAME, s, n);
  if (sc->last_kind == spelled_kind(TAG_PUNCT, (const unsigned char *) "->", 2)
      || sc->last_kind == spelled_kind(TAG_PUNCT, (const unsigned char *) ".", 1))
    return spelled_kind(TAG_NAME, s, n);
  return NNG_SIMILAR_IDENT;
}

/* Is the next thing after s[i] (blanks skipped) an opening parenthesis? */
static int
followed_by_paren(const scanner *sc, size_t i)
{
  while (i < sc->n && (sc->s[i] == ' ' || sc->s[i] == '\t' || sc->s[i] == '\n'
                       || sc->s[i] == '\r'))
    i++;
  return i < sc->n && sc->s[i] == '(';
}

static void
scan_name(scanner *sc)
{
  const unsigned char *s = sc->s;
  size_t start = sc->i, i = sc->i;
  uint32_t line = sc->line;
  while (i < sc->n && is_ident_char(s[i]))
    i++;
  size_t n = i - start;
  /* L"wide", u8"utf-8", u'c', U"...": a literal with a prefix. */
  if (i < sc->n && (s[i] == '"' || s[i] == '\'')
      && ((n == 1 && (s[start] == 'L' || s[start] == 'u' || s[start] == 'U'))
          || (n == 2 && s[start] == 'u' && s[start + 1] == '8'))) {
    sc->i = i;
    scan_literal(sc, line);
    return;
  }
  sc->i = i;
  if (in_list(dropped_words, s + start, n))
    return;
  emit(sc, name_kind(sc, s + start, n, followed_by_paren(sc, i)), line);
}

/* A preprocessing number: a digit (or . digit), then digits, letters, _, .
 * and a sign after an exponent letter. */
static void
scan_number(scanner *sc)
{
  const unsigned char *s = sc->s;
  size_t i = sc->i + 1;
  while (i < sc->n) {
    if ((s[i] == '+' || s[i] == '-')
        && (s[i - 1] == 'e' || s[i - 1] == 'E' || s[i - 1] == 'p' || s[i - 1] == 'P'))
      i++;
    else if (is_ident_char(s[i]) || s[i] == '.')
      i++;
    else
      break;
  }
  sc->i = i;
  emit(sc, NNG_SIMILAR_NUMBER, sc->line);
}

/* A '#' that begins a line: which directive, and whether its line counts. */
static void
scan_directive(scanner *sc)
{
  const unsigned char *s = sc->s;
  sc->i++;
  for (;;) {
    while (sc->i < sc->n && (s[sc->i] == ' ' || s[sc->i] == '\t'))
      sc->i++;
    if (!skip_comment(sc))
      break;
  }
  size_t start = sc->i, i = sc->i;
  while (i < sc->n && is_ident_char(s[i]))
    i++;
  size_t n = i - start;
  if (n == 0) {
    /* A null directive, or a line marker (# 12 "file"): nothing to say. */
    sc->directive = start < sc->n && is_digit(s[start]) ? 2 : 1;
    return;
  }
  sc->i = i;
  if (in_list(dropped_directives, s + start, n)) {
    sc->directive = 2;
    /* A header name (<a//b.h>, say) is not C: skip the line as it is. */
    if ((n == 7 && memcmp(s + start, "include", 7) == 0)
        || (n == 12 && memcmp(s + start, "include_next", 12) == 0)
        || (n == 6 && memcmp(s + start, "import", 6) == 0)) {
      while (sc->i < sc->n && s[sc->i] != '\n') {
        size_t sp = splice_at(sc, sc->i);
        if (sp > 0) {
          sc->line++;
          sc->i += sp;
        } else {
          sc->i++;
        }
      }
    }
    return;
  }
  sc->directive = 1;
  emit(sc, spelled_kind(TAG_DIRECTIVE, s + start, n), sc->line);
}

static void
scan_punctuator(scanner *sc)
{
  const unsigned char *s = sc->s;
  for (size_t p = 0; punctuators[p].text != NULL; p++) {
    size_t len = strlen(punctuators[p].text);
    if (sc->i + len <= sc->n && memcmp(s + sc->i, punctuators[p].text, len) == 0) {
      sc->i += len;
      const char *as = punctuators[p].as;
      if (as[0] != '\0')
        emit(sc, spelled_kind(TAG_PUNCT, (const unsigned char *) as, strlen(as)),
             sc->line);
      return;
    }
  }
  sc->ignored++;  /* @, `, a stray backslash, a control character, NUL */
  sc->i++;
}

int
nng_similar_tokenize(const char *text, size_t n, nng_similar_token **tokens,
                     size_t *n_tokens, size_t *n_ignored)
{
  scanner sc;
  memset(&sc, 0, sizeof sc);
  sc.s = (const unsigned char *) text;
  sc.n = text != NULL ? n : 0;
  sc.line = 1;
  sc.line_start = 1;
  while (sc.i < sc.n && !sc.failed) {
    unsigned char c = sc.s[sc.i];
    size_t sp;
    if (c == '\n') {
      sc.line++;
      sc.i++;
      sc.line_start = 1;
      sc.directive = 0;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      sc.i++;
    } else if ((sp = splice_at(&sc, sc.i)) > 0) {
      sc.line++;  /* the logical line goes on */
      sc.i += sp;
    } else if (skip_comment(&sc)) {
      /* a comment is a blank */
    } else if (c == '#' && sc.line_start && sc.directive == 0) {
      sc.line_start = 0;
      scan_directive(&sc);
    } else {
      sc.line_start = 0;
      if (c == '"' || c == '\'')
        scan_literal(&sc, sc.line);
      else if (is_digit(c) || (c == '.' && sc.i + 1 < sc.n && is_digit(sc.s[sc.i + 1])))
        scan_number(&sc);
      else if (is_ident_start(c))
        scan_name(&sc);
      else
        scan_punctuator(&sc);
    }
  }
  if (sc.failed) {
    free(sc.tok);
    *tokens = NULL;
    *n_tokens = 0;
    return -1;
  }
  *tokens = sc.tok;
  *n_tokens = sc.n_tok;
  if (n_ignored != NULL)
    *n_ignored = sc.ignored;
  return 0;
}

/* ===== k-grams and winnowing =====
 *
 * The hash of the k-gram at token i is Karp and Rabin's rolling hash,
 *
 *   H_i = kind_i B^(k-1) + kind_(i+1) B^(k-2) + ... + kind_(i+k-1)  (mod 2^64),
 *
 * so that H_(i+1) = (H_i - kind_i B^(k-1)) B + kind_(i+k) costs two
 * multiplications whatever k is. Winnowing takes minima, so the hash must
 * not keep the order of the kinds: each H_i goes through a mixing function
 * (splitmix64's) before it is used. */

#define ROLL_BASE 0x100000001b3ull  /* odd: invertible modulo 2^64 */

static uint64_t
mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The hashes of the N - K + 1 k-grams of T (none when N < K); the caller
 * frees them. 0, or -1 when out of memory. */
static int
kgram_hashes(const nng_similar_token *t, size_t n, size_t k, uint64_t **out,
             size_t *n_out)
{
  *out = NULL;
  *n_out = 0;
  if (n < k)
    return 0;
  size_t m = n - k + 1;
  uint64_t *h = malloc(m * sizeof *h);
  if (h == NULL)
    return -1;
  uint64_t top = 1, roll = 0;  /* top = B^(k-1) */
  for (size_t j = 0; j + 1 < k; j++)
    top *= ROLL_BASE;
  for (size_t j = 0; j < k; j++)
    roll = roll * ROLL_BASE + t[j].kind;
  h[0] = mix64(roll);
  for (size_t i = 1; i < m; i++) {
    roll = (roll - t[i - 1].kind * top) * ROLL_BASE + t[i + k - 1].kind;
    h[i] = mix64(roll);
  }
  *out = h;
  *n_out = m;
  return 0;
}

/* Winnowing: in every window of W consecutive hashes, select the smallest,
 * and record it when it is not the position recorded last. Writes the
 * positions, in order, to POS (room for M) and returns how many.
 *
 * Ties are broken as in the paper's "robust winnowing": a window keeps the
 * position its left neighbour selected when that one is still inside it and
 * still minimal; otherwise it takes the rightmost minimal hash. On a run of
 * equal hashes (a file of "; ; ; ...") this records one position per
 * window, not one per k-gram. Any tie rule keeps the guarantee: two windows
 * with the same hashes select the same smallest value.
 *
 * The selection only changes when a strictly smaller hash comes in or the
 * selected one leaves; only then is the window scanned again, so the work
 * is about M, plus W for each fingerprint recorded. */
static size_t
winnow(const uint64_t *h, size_t m, size_t w, size_t *pos)
{
  if (m == 0)
    return 0;
  if (w > m)
    w = m;  /* a short file is one window */
  size_t n_pos = 0, min = 0;
  int have = 0;
  for (size_t end = w - 1; end < m; end++) {
    size_t start = end + 1 - w;
    if (!have || min < start) {
      /* Scan the window right to left: the first strict minimum from the
       * right is the rightmost minimum. */
      min = end;
      for (size_t j = end; j-- > start;)
        if (h[j] < h[min])
          min = j;
      have = 1;
    } else if (h[end] < h[min]) {
      min = end;  /* on a tie the selection stays where it is */
    }
    if (n_pos == 0 || pos[n_pos - 1] != min)
      pos[n_pos++] = min;
  }
  return n_pos;
}

static int
cmp_fingerprint(const void *x, const void *y)
{
  const nng_similar_fingerprint *a = x, *b = y;
  if (a->hash != b->hash)
    return a->hash < b->hash ? -1 : 1;
  if (a->first_line != b->first_line)
    return a->first_line < b->first_line ? -1 : 1;
  return (a->last_line > b->last_line) - (a->last_line < b->last_line);
}

static int
cmp_u64(const void *x, const void *y)
{
  uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
  return (a > b) - (a < b);
}

static size_t
count_distinct(const nng_similar_fingerprint *fp, size_t n)
{
  size_t d = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || fp[i].hash != fp[i - 1].hash)
      d++;
  return d;
}

int
nng_similar_doc_from_text(const char *text, size_t n, const nng_similar_options *opt,
                          nng_similar_doc *doc)
{
  memset(doc, 0, sizeof *doc);
  if (check_options(opt, NULL, 0) != 0)
    return -1;
  nng_similar_token *t;
  size_t nt, ignored;
  if (nng_similar_tokenize(text, n, &t, &nt, &ignored) != 0)
    return -1;
  doc->n_tokens = nt;
  doc->n_ignored = ignored;
  uint64_t *h;
  size_t m;
  if (kgram_hashes(t, nt, opt->k, &h, &m) != 0) {
    free(t);
    return -1;
  }
  size_t *pos = m > 0 ? malloc(m * sizeof *pos) : NULL;
  if (m > 0 && pos == NULL) {
    free(h);
    free(t);
    return -1;
  }
  size_t np = winnow(h, m, opt->window, pos);
  if (np > opt->max_fingerprints) {
    np = opt->max_fingerprints;  /* the start of the file */
    doc->truncated = 1;
  }
  if (np > 0) {
    doc->fp = malloc(np * sizeof *doc->fp);
    if (doc->fp == NULL) {
      free(pos);
      free(h);
      free(t);
      memset(doc, 0, sizeof *doc);
      return -1;
    }
  }
  for (size_t j = 0; j < np; j++) {
    doc->fp[j].hash = h[pos[j]];
    doc->fp[j].first_line = t[pos[j]].line;
    doc->fp[j].last_line = t[pos[j] + opt->k - 1].line;
  }
  doc->n_fp = np;
  free(pos);
  free(h);
  free(t);
  if (np > 0)
    qsort(doc->fp, np, sizeof *doc->fp, cmp_fingerprint);
  doc->n_distinct = count_distinct(doc->fp, np);
  return 0;
}

void
nng_similar_doc_free(nng_similar_doc *doc)
{
  if (doc == NULL)
    return;
  free(doc->fp);
  memset(doc, 0, sizeof *doc);
}

int
nng_similar_base_from_text(const char *text, size_t n, const nng_similar_options *opt,
                           nng_similar_base *base)
{
  memset(base, 0, sizeof *base);
  if (check_options(opt, NULL, 0) != 0)
    return -1;
  nng_similar_token *t;
  size_t nt;
  if (nng_similar_tokenize(text, n, &t, &nt, NULL) != 0)
    return -1;
  uint64_t *h;
  size_t m;
  int status = kgram_hashes(t, nt, opt->k, &h, &m);
  free(t);
  if (status != 0)
    return -1;
  /* Every k-gram, not the winnowed ones: a submission's window may select
   * a k-gram of the stub that the stub's own windows passed over. */
  if (m > 0)
    qsort(h, m, sizeof *h, cmp_u64);
  size_t d = 0;
  for (size_t i = 0; i < m; i++)
    if (d == 0 || h[i] != h[d - 1])
      h[d++] = h[i];
  base->hashes = h;
  base->n = d;
  return 0;
}

void
nng_similar_base_free(nng_similar_base *base)
{
  if (base == NULL)
    return;
  free(base->hashes);
  memset(base, 0, sizeof *base);
}

static int
base_has(const nng_similar_base *base, uint64_t h)
{
  if (base == NULL)
    return 0;
  size_t lo = 0, hi = base->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (base->hashes[mid] < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < base->n && base->hashes[lo] == h;
}

size_t
nng_similar_doc_remove_base(nng_similar_doc *doc, const nng_similar_base *base)
{
  size_t kept = 0, n = doc->n_fp;
  for (size_t i = 0; i < n; i++)
    if (!base_has(base, doc->fp[i].hash))
      doc->fp[kept++] = doc->fp[i];
  doc->n_fp = kept;
  doc->n_distinct = count_distinct(doc->fp, kept);
  return n - kept;
}

/* ===== Reading files ===== */

/* Read PATH whole into *TEXT (the caller frees it) and *N. A submission may
 * name a FIFO or a device: it is opened without blocking and refused unless
 * it is a regular file; a link is refused unless FOLLOW_LINKS. 0, or -1 with
 * the reason. */
static int
read_source(const char *path, int follow_links, char **text, size_t *n, char *why,
            size_t why_size)
{
  *text = NULL;
  *n = 0;
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow_links ? 0 : O_NOFOLLOW);
  int fd = open(path, flags);
  if (fd < 0) {
    if (errno == ELOOP)
      snprintf(why, why_size, "%s is a symbolic link: skipped", path);
    else
      snprintf(why, why_size, "cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, why_size, "%s is not a regular file: skipped", path);
    close(fd);
    return -1;
  }
  if (st.st_size > NNG_SIMILAR_MAX_BYTES) {
    snprintf(why, why_size, "%s is larger than 1 MiB (%lld bytes): skipped", path,
             (long long) st.st_size);
    close(fd);
    return -1;
  }
  /* One byte more than allowed: a file that grew since fstat is caught. */
  char *buf = malloc(NNG_SIMILAR_MAX_BYTES + 1);
  if (buf == NULL) {
    snprintf(why, why_size, "out of memory reading %s", path);
    close(fd);
    return -1;
  }
  size_t got = 0;
  while (got < NNG_SIMILAR_MAX_BYTES + 1) {
    ssize_t r = read(fd, buf + got, NNG_SIMILAR_MAX_BYTES + 1 - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      snprintf(why, why_size, "cannot read %s: %s", path, strerror(errno));
      free(buf);
      close(fd);
      return -1;
    }
    if (r == 0)
      break;
    got += (size_t) r;
  }
  close(fd);
  if (got > NNG_SIMILAR_MAX_BYTES) {
    snprintf(why, why_size, "%s is larger than 1 MiB: skipped", path);
    free(buf);
    return -1;
  }
  *text = buf;
  *n = got;
  return 0;
}

int
nng_similar_doc_load(const char *path, int follow_links, const nng_similar_options *opt,
                     nng_similar_doc *doc, char *why, size_t why_size)
{
  memset(doc, 0, sizeof *doc);
  if (check_options(opt, why, why_size) != 0)
    return -1;
  char *text;
  size_t n;
  if (read_source(path, follow_links, &text, &n, why, why_size) != 0)
    return -1;
  int status = nng_similar_doc_from_text(text, n, opt, doc);
  free(text);
  if (status != 0)
    snprintf(why, why_size, "out of memory fingerprinting %s", path);
  return status;
}

int
nng_similar_base_load(const char *path, const nng_similar_options *opt,
                      nng_similar_base *base, char *why, size_t why_size)
{
  memset(base, 0, sizeof *base);
  if (check_options(opt, why, why_size) != 0)
    return -1;
  char *text;
  size_t n;
  if (read_source(path, 1, &text, &n, why, why_size) != 0)
    return -1;
  int status = nng_similar_base_from_text(text, n, opt, base);
  free(text);
  if (status != 0)
    snprintf(why, why_size, "out of memory fingerprinting %s", path);
  return status;
}

/* ===== Comparing two documents =====
 *
 * Both fingerprint lists are sorted by hash, so one merge finds the shared
 * hashes. Each shared hash gives pairs of line spans: where its k-gram is in
 * A and where in B. A copied passage gives a chain of them: winnowing
 * records a fingerprint at least once every w k-grams, and k > w keeps the
 * k-grams of neighbouring fingerprints overlapping, so consecutive spans of
 * the passage touch, in A and in B alike. The spans are taken in the order
 * of A's lines and each joins a chain it touches on both sides; the chains
 * are the ranges reported. A passage moved elsewhere in B makes a chain of
 * its own.
 *
 * A k-gram that occurs twice ("if (a->size != b->size) GSL_ERROR(...)" in
 * two functions) gives a span for each pairing of its occurrences, and the
 * wrong pairings would show as stray ranges. So every pairing is tried (up
 * to PAIRINGS occurrences a side), the right ones join the chains of their
 * neighbours, and, the longest chains first, a chain whose lines in A or in
 * B lie inside those of a chain already kept is dropped: it is another
 * pairing of the same lines, and one is enough to show. */

/* Occurrences of a repeated k-gram paired, per side. */
#define PAIRINGS 4

/* Chains still open that a span is tried against, the latest first. */
#define OPEN_CHAINS 64

/* Says whether a shared hash is to be left out (a common idiom). */
typedef int (*skip_fn)(uint64_t hash, const void *ctx);

typedef struct chain {
  nng_similar_range r;
  size_t spans;
} chain;

static int
cmp_range(const void *x, const void *y)
{
  const nng_similar_range *a = x, *b = y;
  if (a->a_first != b->a_first)
    return a->a_first < b->a_first ? -1 : 1;
  if (a->b_first != b->b_first)
    return a->b_first < b->b_first ? -1 : 1;
  return 0;
}

/* The longest chains first. */
static int
cmp_chain(const void *x, const void *y)
{
  const chain *a = x, *b = y;
  if (a->spans != b->spans)
    return a->spans > b->spans ? -1 : 1;
  return cmp_range(&a->r, &b->r);
}

static int
touches(const nng_similar_range *c, const nng_similar_range *r)
{
  return r->a_first <= c->a_last + 1 && r->a_last + 1 >= c->a_first
         && r->b_first <= c->b_last + 1 && r->b_last + 1 >= c->b_first;
}

static int
inside(uint32_t first, uint32_t last, uint32_t outer_first, uint32_t outer_last)
{
  return first >= outer_first && last <= outer_last;
}

/* The chains of SPANS (N, sorted by cmp_range) into P's ranges: at most
 * NNG_SIMILAR_MAX_RANGES, the longest, in the order of A's lines. Frees
 * SPANS. 0, or -1 when out of memory. */
static int
chain_spans(nng_similar_range *spans, size_t n, nng_similar_pair *p)
{
  chain *c = malloc(n * sizeof *c);
  if (c == NULL) {
    free(spans);
    return -1;
  }
  size_t m = 0;
  for (size_t s = 0; s < n; s++) {
    const nng_similar_range *r = &spans[s];
    size_t q = m, tried = 0;
    while (q-- > 0 && tried++ < OPEN_CHAINS)
      if (touches(&c[q].r, r))
        break;
    if (q < m && tried <= OPEN_CHAINS && touches(&c[q].r, r)) {
      nng_similar_range *g = &c[q].r;
      if (r->a_first < g->a_first) g->a_first = r->a_first;
      if (r->a_last > g->a_last) g->a_last = r->a_last;
      if (r->b_first < g->b_first) g->b_first = r->b_first;
      if (r->b_last > g->b_last) g->b_last = r->b_last;
      c[q].spans++;
    } else {
      c[m].r = *r;
      c[m].spans = 1;
      m++;
    }
  }
  free(spans);
  /* Other pairings of lines already shown, longest chains first. */
  qsort(c, m, sizeof *c, cmp_chain);
  size_t kept = 0;
  for (size_t x = 0; x < m && kept < NNG_SIMILAR_MAX_RANGES; x++) {
    int again = 0;
    for (size_t y = 0; y < kept && !again; y++)
      again = inside(c[x].r.a_first, c[x].r.a_last, c[y].r.a_first, c[y].r.a_last)
              || inside(c[x].r.b_first, c[x].r.b_last, c[y].r.b_first, c[y].r.b_last);
    if (!again)
      c[kept++] = c[x];
  }
  nng_similar_range *out = malloc((kept > 0 ? kept : 1) * sizeof *out);
  if (out == NULL) {
    free(c);
    return -1;
  }
  for (size_t x = 0; x < kept; x++)
    out[x] = c[x].r;
  free(c);
  qsort(out, kept, sizeof *out, cmp_range);
  p->ranges = out;
  p->n_ranges = kept;
  return 0;
}

/* The shared hashes of A and B, less those SKIP says; and with RANGES, the
 * matched ranges into P. SIZE_B is B's |F| as seen here. */
static int
compare_docs(const nng_similar_doc *a, const nng_similar_doc *b, size_t size_b,
             skip_fn skip, const void *ctx, int ranges, nng_similar_pair *p)
{
  nng_similar_range *spans = NULL;
  size_t n_spans = 0, cap = 0, shared = 0;
  size_t i = 0, j = 0;
  p->ranges = NULL;
  p->n_ranges = 0;
  while (i < a->n_fp && j < b->n_fp) {
    uint64_t ha = a->fp[i].hash, hb = b->fp[j].hash;
    if (ha < hb) {
      i++;
      continue;
    }
    if (hb < ha) {
      j++;
      continue;
    }
    size_t i_end = i, j_end = j;
    while (i_end < a->n_fp && a->fp[i_end].hash == ha)
      i_end++;
    while (j_end < b->n_fp && b->fp[j_end].hash == hb)
      j_end++;
    if (skip == NULL || !skip(ha, ctx)) {
      shared++;
      for (size_t x = i; ranges && x < i_end && x < i + PAIRINGS; x++)
        for (size_t y = j; y < j_end && y < j + PAIRINGS; y++) {
          if (grow((void **) &spans, &cap, n_spans + 1, sizeof *spans) != 0) {
            free(spans);
            return -1;
          }
          nng_similar_range r = {a->fp[x].first_line, a->fp[x].last_line,
                                 b->fp[y].first_line, b->fp[y].last_line};
          spans[n_spans++] = r;
        }
    }
    i = i_end;
    j = j_end;
  }
  size_t size_a = a->n_distinct;
  size_t small = size_a < size_b ? size_a : size_b;
  p->shared = shared;
  p->size_a = size_a;
  p->size_b = size_b;
  p->similarity = small > 0 ? (double) shared / (double) small : 0.0;
  if (p->similarity > 1.0)
    p->similarity = 1.0;  /* B's size may leave out hashes that A holds */
  p->jaccard = size_a + size_b > shared
                 ? (double) shared / (double) (size_a + size_b - shared) : 0.0;
  if (n_spans == 0) {
    free(spans);
    return 0;
  }
  qsort(spans, n_spans, sizeof *spans, cmp_range);
  return chain_spans(spans, n_spans, p);
}

int
nng_similar_doc_compare(const nng_similar_doc *a, const nng_similar_doc *b,
                        nng_similar_pair *p)
{
  return compare_docs(a, b, b->n_distinct, NULL, NULL, 1, p);
}

void
nng_similar_pair_clear(nng_similar_pair *p)
{
  if (p == NULL)
    return;
  free(p->ranges);
  p->ranges = NULL;
  p->n_ranges = 0;
}

/* ===== A class =====
 *
 * Exercise by exercise: fingerprint the submissions and remove the base
 * code; build the inverted index, one entry (hash, document) per distinct
 * hash of each document, sorted by hash, so that the documents that hold a
 * hash are one run of it (a "posting list"); then, for each submission in
 * turn, walk the posting lists of its hashes and count, per later document,
 * the hashes they share. The counts are the intersections |F(A) ∩ F(B)|,
 * found without ever comparing two documents that share nothing. Pairs
 * that pass the threshold are ranked, the best max_pairs kept, and only
 * those are compared again, fingerprint by fingerprint, for their line
 * ranges. */

typedef struct doc_entry {
  nng_similar_doc doc;
  const char *name;         /* the student's name, or the reference's label */
  size_t owner;             /* the submission's index (references: SIZE_MAX) */
  int exercise;             /* references: the exercise, 0 for all */
  int loaded;
} doc_entry;

typedef struct posting {
  uint64_t hash;
  uint32_t doc;             /* index into the exercise's documents */
} posting;

typedef struct group {
  uint64_t hash;
  size_t start, n;          /* its run of postings */
  size_t n_students;        /* submissions (not references) in the run */
} group;

typedef struct candidate {
  uint32_t a, b;
  size_t shared;
  double similarity, jaccard;
} candidate;

typedef struct exercise_index {
  group *groups;
  size_t n_groups;
  size_t idiom_limit;       /* in more submissions than this: an idiom */
} exercise_index;

static int
cmp_posting(const void *x, const void *y)
{
  const posting *a = x, *b = y;
  if (a->hash != b->hash)
    return a->hash < b->hash ? -1 : 1;
  return (a->doc > b->doc) - (a->doc < b->doc);
}

static const group *
find_group(const exercise_index *ix, uint64_t h)
{
  size_t lo = 0, hi = ix->n_groups;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->groups[mid].hash < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < ix->n_groups && ix->groups[lo].hash == h ? &ix->groups[lo] : NULL;
}

/* A hash held by more submissions than the limit: an idiom, not a copy. */
static int
is_common(uint64_t h, const void *ctx)
{
  const exercise_index *ix = ctx;
  const group *g = find_group(ix, h);
  return g != NULL && g->n_students > ix->idiom_limit;
}

/* The idiom limit for N_SUB submissions: OPT's, or by default the larger of
 * 10 (MOSS's default) and a quarter of the class, so that a solution that
 * went round a group of friends still shows in a large class. */
static size_t
idiom_limit(const nng_similar_options *opt, size_t n_sub)
{
  if (opt->max_share > 0)
    return opt->max_share;
  return n_sub / 4 > 10 ? n_sub / 4 : 10;
}

static void
note(nng_similar_result *res, const char *fmt, ...)
{
  char line[1600];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (len < 0)
    return;
  size_t n = strlen(line);
  /* The buffer holds a power of two bytes, at least 256, so that a class
   * of broken files costs no quadratic copying. */
  size_t cap = 256, need = res->notes_len + n + 2;
  while (cap < res->notes_len + 1)
    cap *= 2;
  char *p = res->notes;
  if (p == NULL || need > cap) {
    while (cap < need)
      cap *= 2;
    p = realloc(res->notes, cap);
    if (p == NULL)
      return;  /* a note lost to a full memory is not worth failing for */
  }
  memcpy(p + res->notes_len, line, n);
  p[res->notes_len + n] = '\n';
  p[res->notes_len + n + 1] = '\0';
  res->notes = p;
  res->notes_len += n + 1;
}

/* Ranked: similarity, then shared, then exercise, then names. */
static int
cmp_pair(const void *x, const void *y)
{
  const nng_similar_pair *a = x, *b = y;
  if (a->similarity != b->similarity)
    return a->similarity > b->similarity ? -1 : 1;
  if (a->shared != b->shared)
    return a->shared > b->shared ? -1 : 1;
  if (a->exercise != b->exercise)
    return a->exercise < b->exercise ? -1 : 1;
  int c = strcmp(a->a, b->a);
  return c != 0 ? c : strcmp(a->b, b->b);
}

static int
cmp_candidate(const void *x, const void *y)
{
  const candidate *a = x, *b = y;
  if (a->similarity != b->similarity)
    return a->similarity > b->similarity ? -1 : 1;
  if (a->shared != b->shared)
    return a->shared > b->shared ? -1 : 1;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return (a->b > b->b) - (a->b < b->b);
}

static int
cmp_int(const void *x, const void *y)
{
  int a = *(const int *) x, b = *(const int *) y;
  return (a > b) - (a < b);
}

/* Compare exercise EX: its N_SUB submissions' documents in DOCS[0..N_SUB)
 * (base removed), then N_REF references' in DOCS[N_SUB..). SIZE[d] is
 * |F(d)| less the base. Appends the kept pairs to RES. 0, or -1 when out of
 * memory. */
static int
compare_exercise(int ex, doc_entry *const *docs, size_t n_sub, size_t n_ref,
                 const size_t *size, const nng_similar_base *base,
                 nng_similar_result *res, nng_similar_exercise *summary,
                 size_t *pairs_cap)
{
  const nng_similar_options *opt = &res->opt;
  size_t n_docs = n_sub + n_ref;
  posting *post = NULL;
  size_t n_post = 0, post_cap = 0;
  exercise_index ix = {NULL, 0, idiom_limit(opt, n_sub)};
  candidate *cand = NULL;
  size_t n_cand = 0, cand_cap = 0;
  uint32_t *count = NULL, *touched = NULL;
  int status = -1;

  /* The postings: each document's distinct hashes (a reference's less the
   * base, which the submissions no longer hold anyway). */
  for (size_t d = 0; d < n_docs; d++) {
    const nng_similar_doc *doc = &docs[d]->doc;
    for (size_t i = 0; i < doc->n_fp; i++) {
      if (i > 0 && doc->fp[i].hash == doc->fp[i - 1].hash)
        continue;
      if (d >= n_sub && base_has(base, doc->fp[i].hash))
        continue;
      if (grow((void **) &post, &post_cap, n_post + 1, sizeof *post) != 0)
        goto out;
      post[n_post].hash = doc->fp[i].hash;
      post[n_post].doc = (uint32_t) d;
      n_post++;
    }
  }
  if (n_post > 0)
    qsort(post, n_post, sizeof *post, cmp_posting);
  size_t groups_cap = 0;
  for (size_t i = 0; i < n_post;) {
    size_t j = i, students = 0;
    while (j < n_post && post[j].hash == post[i].hash) {
      if (post[j].doc < n_sub)
        students++;
      j++;
    }
    if (grow((void **) &ix.groups, &groups_cap, ix.n_groups + 1, sizeof *ix.groups) != 0)
      goto out;
    group g = {post[i].hash, i, j - i, students};
    ix.groups[ix.n_groups++] = g;
    i = j;
  }

  /* One row of counts at a time: submission a against every later
   * document b. An idiom counts for no pair of submissions, but it does
   * count against a reference: a solution the whole class copied from the
   * reference is an idiom among the students and still a copy of it. The
   * references sit at the end of each posting list (their indices are the
   * largest), so skipping the students of an idiom's list is one jump. */
  count = calloc(n_docs > 0 ? n_docs : 1, sizeof *count);
  touched = malloc((n_docs > 0 ? n_docs : 1) * sizeof *touched);
  if (count == NULL || touched == NULL)
    goto out;
  for (size_t a = 0; a < n_sub; a++) {
    const nng_similar_doc *doc = &docs[a]->doc;
    size_t n_touched = 0;
    for (size_t i = 0; i < doc->n_fp; i++) {
      if (i > 0 && doc->fp[i].hash == doc->fp[i - 1].hash)
        continue;
      const group *g = find_group(&ix, doc->fp[i].hash);
      if (g == NULL)
        continue;
      size_t from = g->n_students > ix.idiom_limit ? g->start + g->n_students : g->start;
      for (size_t p = from; p < g->start + g->n; p++) {
        uint32_t b = post[p].doc;
        if (b <= a || docs[b]->owner == docs[a]->owner)
          continue;
        if (count[b]++ == 0)
          touched[n_touched++] = b;
      }
    }
    for (size_t t = 0; t < n_touched; t++) {
      uint32_t b = touched[t];
      size_t shared = count[b];
      count[b] = 0;
      size_t small = size[a] < size[b] ? size[a] : size[b];
      double sim = small > 0 ? (double) shared / (double) small : 0.0;
      if (sim > 1.0)
        sim = 1.0;
      if (shared < opt->min_shared || sim < opt->threshold)
        continue;
      if (grow((void **) &cand, &cand_cap, n_cand + 1, sizeof *cand) != 0)
        goto out;
      candidate c = {(uint32_t) a, b, shared, sim,
                     (double) shared / (double) (size[a] + size[b] - shared)};
      cand[n_cand++] = c;
    }
  }
  summary->n_above = n_cand;
  summary->idiom_limit = ix.idiom_limit;

  /* The best max_pairs, with their line ranges. */
  if (n_cand > 0)
    qsort(cand, n_cand, sizeof *cand, cmp_candidate);
  size_t keep = n_cand < opt->max_pairs ? n_cand : opt->max_pairs;
  if (grow((void **) &res->pairs, pairs_cap, res->n_pairs + keep, sizeof *res->pairs) != 0)
    goto out;
  for (size_t c = 0; c < keep; c++) {
    const doc_entry *da = docs[cand[c].a], *db = docs[cand[c].b];
    nng_similar_pair *p = &res->pairs[res->n_pairs];
    memset(p, 0, sizeof *p);
    int reference = cand[c].b >= n_sub;
    if (compare_docs(&da->doc, &db->doc, size[cand[c].b], reference ? NULL : is_common,
                     &ix, 1, p) != 0)
      goto out;
    /* The index's counts are the ones ranked on; the merge agrees. */
    p->shared = cand[c].shared;
    p->similarity = cand[c].similarity;
    p->jaccard = cand[c].jaccard;
    p->size_a = size[cand[c].a];
    p->exercise = ex;
    snprintf(p->a, sizeof p->a, "%s", da->name);
    snprintf(p->b, sizeof p->b, "%s", db->name);
    p->b_is_reference = reference;
    res->n_pairs++;
  }
  status = 0;
out:
  free(post);
  free(ix.groups);
  free(cand);
  free(count);
  free(touched);
  return status;
}

int
nng_similar_run(const nng_similar_submission *subs, size_t n_subs,
                const nng_similar_file *bases, size_t n_bases,
                const nng_similar_reference *refs, size_t n_refs,
                const nng_similar_options *opt, nng_similar_result *res,
                char *why, size_t why_size)
{
  memset(res, 0, sizeof *res);
  if (check_options(opt, why, why_size) != 0)
    return -1;
  res->opt = *opt;
  int status = -1;
  char reason[1200];
  doc_entry *ref_docs = NULL, *sub_docs = NULL;
  doc_entry **docs = NULL;
  size_t *size = NULL;
  int *numbers = NULL;
  size_t n_numbers = 0, pairs_cap = 0, n_files = 0;

  /* The references, fingerprinted once for every exercise. */
  ref_docs = calloc(n_refs > 0 ? n_refs : 1, sizeof *ref_docs);
  if (ref_docs == NULL)
    goto nomem;
  for (size_t r = 0; r < n_refs; r++) {
    doc_entry *e = &ref_docs[r];
    e->name = refs[r].label != NULL ? refs[r].label : refs[r].path;
    e->owner = SIZE_MAX;
    e->exercise = refs[r].exercise;
    if (nng_similar_doc_load(refs[r].path, 1, opt, &e->doc, reason, sizeof reason) == 0)
      e->loaded = 1;
    else
      note(res, "reference %s: %s", e->name, reason);
  }

  /* The exercises the submissions answer, in order. */
  for (size_t s = 0; s < n_subs; s++)
    n_files += subs[s].n_files;
  numbers = malloc((n_files > 0 ? n_files : 1) * sizeof *numbers);
  sub_docs = calloc(n_files > 0 ? n_files : 1, sizeof *sub_docs);
  docs = malloc((n_files + n_refs > 0 ? n_files + n_refs : 1) * sizeof *docs);
  size = malloc((n_files + n_refs > 0 ? n_files + n_refs : 1) * sizeof *size);
  if (numbers == NULL || sub_docs == NULL || docs == NULL || size == NULL)
    goto nomem;
  for (size_t s = 0; s < n_subs; s++)
    for (size_t f = 0; f < subs[s].n_files; f++)
      numbers[n_numbers++] = subs[s].files[f].exercise;
  if (n_numbers > 0)
    qsort(numbers, n_numbers, sizeof *numbers, cmp_int);
  size_t u = 0;
  for (size_t i = 0; i < n_numbers; i++)
    if (u == 0 || numbers[i] != numbers[u - 1])
      numbers[u++] = numbers[i];
  n_numbers = u;
  res->exercises = calloc(n_numbers > 0 ? n_numbers : 1, sizeof *res->exercises);
  if (res->exercises == NULL)
    goto nomem;

  for (size_t e = 0; e < n_numbers; e++) {
    int ex = numbers[e];
    nng_similar_exercise *summary = &res->exercises[res->n_exercises++];
    summary->exercise = ex;

    /* Its base code. */
    nng_similar_base base = {NULL, 0};
    for (size_t b = 0; b < n_bases; b++) {
      if (bases[b].exercise != ex || bases[b].path == NULL)
        continue;
      if (nng_similar_base_load(bases[b].path, opt, &base, reason, sizeof reason) == 0)
        summary->has_base = 1;
      else
        note(res, "exercise %d: base code %s", ex, reason);
      break;
    }

    /* Its submissions: one document per file, base removed. */
    size_t n_sub = 0;
    for (size_t s = 0; s < n_subs; s++) {
      for (size_t f = 0; f < subs[s].n_files; f++) {
        if (subs[s].files[f].exercise != ex)
          continue;
        doc_entry *d = &sub_docs[n_sub];
        memset(d, 0, sizeof *d);
        d->name = subs[s].name != NULL ? subs[s].name : "(unnamed)";
        d->owner = s;
        d->exercise = ex;
        if (nng_similar_doc_load(subs[s].files[f].path, 0, opt, &d->doc, reason,
                                 sizeof reason) != 0) {
          note(res, "%s, exercise %d: %s", d->name, ex, reason);
          continue;
        }
        if (d->doc.n_ignored > 0)
          note(res, "%s, exercise %d: %zu bytes that are no part of C ignored "
               "(binary data, NUL or control characters)", d->name, ex, d->doc.n_ignored);
        if (d->doc.truncated)
          note(res, "%s, exercise %d: only the first %zu fingerprints used", d->name,
               ex, opt->max_fingerprints);
        nng_similar_doc_remove_base(&d->doc, &base);
        d->loaded = 1;
        docs[n_sub] = d;
        size[n_sub] = d->doc.n_distinct;
        n_sub++;
      }
    }

    /* Its references, sized without the base. */
    size_t n_ref = 0;
    for (size_t r = 0; r < n_refs; r++) {
      doc_entry *d = &ref_docs[r];
      if (!d->loaded || (d->exercise != 0 && d->exercise != ex))
        continue;
      size_t k = n_sub + n_ref;
      docs[k] = d;
      size_t distinct = 0;
      for (size_t i = 0; i < d->doc.n_fp; i++)
        if ((i == 0 || d->doc.fp[i].hash != d->doc.fp[i - 1].hash)
            && !base_has(&base, d->doc.fp[i].hash))
          distinct++;
      size[k] = distinct;
      n_ref++;
    }
    summary->n_submissions = n_sub;
    summary->n_references = n_ref;

    int st = compare_exercise(ex, docs, n_sub, n_ref, size, &base, res, summary,
                              &pairs_cap);
    for (size_t d = 0; d < n_sub; d++)
      nng_similar_doc_free(&docs[d]->doc);
    nng_similar_base_free(&base);
    if (st != 0)
      goto nomem;
  }
  if (res->n_pairs > 0)
    qsort(res->pairs, res->n_pairs, sizeof *res->pairs, cmp_pair);
  status = 0;
  goto out;
nomem:
  snprintf(why, why_size, "out of memory comparing the submissions");
out:
  for (size_t r = 0; ref_docs != NULL && r < n_refs; r++)
    nng_similar_doc_free(&ref_docs[r].doc);
  free(ref_docs);
  free(sub_docs);
  free(docs);
  free(size);
  free(numbers);
  return status;
}

void
nng_similar_result_free(nng_similar_result *res)
{
  if (res == NULL)
    return;
  for (size_t i = 0; i < res->n_pairs; i++)
    nng_similar_pair_clear(&res->pairs[i]);
  free(res->pairs);
  free(res->exercises);
  free(res->notes);
  memset(res, 0, sizeof *res);
}

/* ===== The report ===== */

/* A name in a Markdown table cell: no bar, no line break, no control
 * character (names come from the submissions' files). */
static void
put_cell(FILE *f, const char *s)
{
  for (size_t i = 0; s[i] != '\0' && i < 200; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c == '|')
      fputs("\\|", f);
    else if (c < 0x20 || c == 0x7f)
      fputc('?', f);
    else
      fputc(c, f);
  }
}

void
nng_similar_report_write(FILE *f, const nng_similar_result *res)
{
  const nng_similar_options *opt = &res->opt;
  fprintf(f, "# Similar submissions\n\n");
  fprintf(f,
          "Per exercise: every pair of submissions, and every submission against\n"
          "the course's reference code. Names, literals, comments and layout do\n"
          "not count, only the sequence of keywords, operators and API calls.\n\n");
  fprintf(f,
          "- Similarity: shared fingerprints / the fingerprints of the smaller of\n"
          "  the two (%zu-token k-grams, winnowing window %zu: a common passage of\n"
          "  %zu tokens or more is always found). Jaccard: shared / all of both.\n",
          opt->k, opt->window, opt->k + opt->window - 1);
  fprintf(f, "- Left out: the exercise's stub (base code); and between two\n"
          "  submissions, the passages that more submissions share than the\n"
          "  idiom limit in the table (common idioms; they still count against\n"
          "  the reference code)");
  fprintf(f, ".\n- Listed: %.0f%% or more, with %zu or more shared fingerprints; at most\n"
          "  %zu pairs per exercise.\n", 100.0 * opt->threshold, opt->min_shared,
          opt->max_pairs);
  fprintf(f, "- Matched lines: lines of A ~ the lines of B they match. A range may\n"
          "  stop a few tokens short of the ends of a copied passage.\n\n");

  fprintf(f, "| Exercise | Submissions | References | Base code removed | Idiom limit "
          "| Pairs listed |\n");
  fprintf(f, "|---:|---:|---:|:---:|---:|---:|\n");
  for (size_t e = 0; e < res->n_exercises; e++) {
    const nng_similar_exercise *x = &res->exercises[e];
    size_t listed = x->n_above < opt->max_pairs ? x->n_above : opt->max_pairs;
    fprintf(f, "| %d | %zu | %zu | %s | ", x->exercise, x->n_submissions,
            x->n_references, x->has_base ? "yes" : "no");
    if (x->idiom_limit == SIZE_MAX)
      fprintf(f, "none");
    else
      fprintf(f, "%zu", x->idiom_limit);
    fprintf(f, " | %zu", listed);
    if (listed < x->n_above)
      fprintf(f, " of %zu", x->n_above);
    fprintf(f, " |\n");
  }
  fputc('\n', f);

  if (res->n_pairs == 0) {
    fprintf(f, "No pair reaches the threshold.\n");
  } else {
    fprintf(f, "| Rank | Exercise | A | B | Similarity | Jaccard | Shared "
            "| Matched lines (A ~ B) |\n");
    fprintf(f, "|---:|---:|---|---|---:|---:|---:|---|\n");
    for (size_t i = 0; i < res->n_pairs; i++) {
      const nng_similar_pair *p = &res->pairs[i];
      fprintf(f, "| %zu | %d | ", i + 1, p->exercise);
      put_cell(f, p->a);
      fputs(" | ", f);
      put_cell(f, p->b);
      if (p->b_is_reference)
        fputs(" (reference)", f);
      fprintf(f, " | %.0f%% | %.0f%% | %zu/%zu | ", 100.0 * p->similarity,
              100.0 * p->jaccard, p->shared,
              p->size_a < p->size_b ? p->size_a : p->size_b);
      size_t shown = p->n_ranges < 6 ? p->n_ranges : 6;
      for (size_t r = 0; r < shown; r++) {
        const nng_similar_range *g = &p->ranges[r];
        fprintf(f, "%s%u-%u ~ %u-%u", r > 0 ? "; " : "", (unsigned) g->a_first,
                (unsigned) g->a_last, (unsigned) g->b_first, (unsigned) g->b_last);
      }
      if (p->n_ranges > shown)
        fprintf(f, "; +%zu more", p->n_ranges - shown);
      fputs(" |\n", f);
    }
  }
  if (res->notes != NULL && res->notes_len > 0) {
    fprintf(f, "\n## Notes\n\n");
    const char *s = res->notes;
    while (*s != '\0') {
      const char *nl = strchr(s, '\n');
      size_t len = nl != NULL ? (size_t) (nl - s) : strlen(s);
      fputs("- ", f);
      for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) s[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
      }
      fputc('\n', f);
      s += len + (nl != NULL ? 1 : 0);
    }
  }
}
