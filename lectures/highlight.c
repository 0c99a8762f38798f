/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lectures/highlight.c: C source as highlighted HTML (see highlight.h). */
#include <config.h>

#include <ctype.h>
#include <string.h>

#include "highlight.h"

void
highlight_escape(FILE *out, const char *text, size_t n)
{
  for (size_t k = 0; k < n; k++)
    switch (text[k]) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    default: fputc(text[k], out);
    }
}

/* TEXT[0, N) inside <span class="CLASS">. */
static void
span(FILE *out, const char *class, const char *text, size_t n)
{
  fprintf(out, "<span class=\"%s\">", class);
  highlight_escape(out, text, n);
  fputs("</span>", out);
}

static const char *const keywords[] = {
  "auto", "break", "case", "const", "continue", "default", "do", "else",
  "enum", "extern", "for", "goto", "if", "inline", "register", "restrict",
  "return", "sizeof", "static", "struct", "switch", "typedef", "union",
  "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Generic",
  "_Noreturn", "_Static_assert", "_Thread_local", "NULL", NULL
};

static const char *const types[] = {
  "void", "char", "short", "int", "long", "float", "double", "signed",
  "unsigned", "_Bool", "bool", "FILE", NULL
};

static int
in_list(const char *const *list, const char *word, size_t n)
{
  for (; *list != NULL; list++)
    if (strlen(*list) == n && strncmp(*list, word, n) == 0)
      return 1;
  return 0;
}

static int
is_word_char(char c)
{
  return isalnum((unsigned char) c) || c == '_';
}

/* The class of the identifier TEXT[0, N), which is followed by REST (up
 * to END): a keyword, a type, or NULL for a plain name. */
static const char *
word_class(const char *text, size_t n, const char *rest, const char *end)
{
  if (in_list(keywords, text, n))
    return "kw";
  if (in_list(types, text, n))
    return "ty";
  while (rest < end && (*rest == ' ' || *rest == '\t'))
    rest++;
  int called = rest < end && *rest == '(';
  if (n > 2 && text[n - 2] == '_' && text[n - 1] == 't' && !called)
    return "ty";
  if (((n > 4 && strncmp(text, "gsl_", 4) == 0)
       || (n > 3 && strncmp(text, "nn_", 3) == 0)) && !called)
    return "ty";
  return NULL;
}

/* The length of the literal quoted by Q that starts at S: up to and with
 * the closing quote, or to the end of the line when it is not closed. */
static size_t
quoted(const char *s, const char *end, char q)
{
  size_t k = 1;
  while (s + k < end && s[k] != q && s[k] != '\n')
    k += (s[k] == '\\' && s + k + 1 < end) ? 2 : 1;
  return s + k < end && s[k] == q ? k + 1 : k;
}

/* The length of the number that starts at S: digits, letters (0x1f, 1e8,
 * 10UL), dots, and a sign right after an exponent letter. */
static size_t
number(const char *s, const char *end)
{
  int hex = end - s > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  size_t k = 0;
  while (s + k < end) {
    char c = s[k];
    if (is_word_char(c) || c == '.')
      k++;
    else if ((c == '+' || c == '-') && k > 0
             && (hex ? (s[k - 1] == 'p' || s[k - 1] == 'P')
                     : (s[k - 1] == 'e' || s[k - 1] == 'E')))
      k++;
    else
      break;
  }
  return k;
}

void
highlight_c(FILE *out, const char *text, size_t n)
{
  const char *s = text, *end = text + n;
  int line_start = 1;      /* only blanks so far on this line */
  int include_line = 0;    /* after #include: <file.h> is a string */
  while (s < end) {
    size_t k;
    char c = *s;
    if (c == '\n') {
      fputc('\n', out);
      s++;
      line_start = 1;
      include_line = 0;
      continue;
    }
    if (c == ' ' || c == '\t') {
      fputc(c, out);
      s++;
      continue;
    }
    if (c == '/' && s + 1 < end && s[1] == '/') {
      const char *eol = memchr(s, '\n', (size_t) (end - s));
      k = (size_t) ((eol != NULL ? eol : end) - s);
      span(out, "com", s, k);
    } else if (c == '/' && s + 1 < end && s[1] == '*') {
      const char *close = NULL;
      for (const char *t = s + 2; t + 1 < end; t++)
        if (t[0] == '*' && t[1] == '/') {
          close = t + 2;
          break;
        }
      k = (size_t) ((close ? close : end) - s);
      span(out, "com", s, k);
    } else if (c == '#' && line_start) {
      k = 1;
      while (s + k < end && (s[k] == ' ' || s[k] == '\t'))
        k++;
      while (s + k < end && is_word_char(s[k]))
        k++;
      include_line = k >= 8 && strncmp(s + k - 7, "include", 7) == 0;
      span(out, "pp", s, k);
    } else if (c == '"' || c == '\'') {
      k = quoted(s, end, c);
      span(out, "str", s, k);
    } else if (c == '<' && include_line) {
      k = quoted(s, end, '>');
      span(out, "str", s, k);
    } else if (isdigit((unsigned char) c)
               || (c == '.' && s + 1 < end && isdigit((unsigned char) s[1]))) {
      k = number(s, end);
      span(out, "num", s, k);
    } else if (is_word_char(c)) {
      k = 1;
      while (s + k < end && is_word_char(s[k]))
        k++;
      const char *class = word_class(s, k, s + k, end);
      if (class != NULL)
        span(out, class, s, k);
      else
        highlight_escape(out, s, k);
    } else {
      k = 1;
      highlight_escape(out, s, 1);
    }
    s += k;
    line_start = 0;
  }
}
