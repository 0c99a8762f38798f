/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-tokens.c: a C source as the stream of tokens that the similarity
 * checker compares (step 1 of similar.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "similar-private.h"

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
  if (nng_similar_grow((void **) &sc->tok, &sc->cap, sc->n_tok + 1, sizeof *sc->tok)
      != 0) {
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

/* The end of the logical line that s[i] is on (the new line, or the end of
 * the text), counting the lines that backslashes continue it on. */
static size_t
line_end(scanner *sc, size_t i)
{
  while (i < sc->n && sc->s[i] != '\n') {
    size_t sp = splice_at(sc, i);
    if (sp > 0) {
      sc->line++;
      i += sp;
    } else {
      i++;
    }
  }
  return i;
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
  sc->i = line_end(sc, i + 2);  /* the new line is the main loop's */
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
        || (n == 6 && memcmp(s + start, "import", 6) == 0))
      sc->i = line_end(sc, sc->i);
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
