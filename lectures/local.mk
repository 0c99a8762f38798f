# SPDX-License-Identifier: GPL-3.0-or-later
## lectures/: literate programs, one per lecture, and the lesson runtime they
## share (lesson.h). `make lectureN` builds lecture N and runs it, writing its
## figures to out/lectureN in the build tree; `make lecture3 ARGS="--seed 7"`
## passes options; `make lectures` runs them all, one after the other.
##
## To add lecture N, lectures/lectureN-topic.c: add N to LECTURE_NUMBERS, the
## file to LECTURE_FILES, the program to noinst_PROGRAMS, and its two lines
## below.

LECTURE_NUMBERS = 1 2 3 4 5 6 7 8 9 10 11 12 13
LECTURE_FILES = \
	%D%/lecture1-derivatives.c \
	%D%/lecture2-perceptron.c \
	%D%/lecture3-forward-pass.c \
	%D%/lecture4-loss.c \
	%D%/lecture5-descent-1d.c \
	%D%/lecture6-descent-2d.c \
	%D%/lecture7-backprop.c \
	%D%/lecture8-training.c \
	%D%/lecture9-optimizers.c \
	%D%/lecture10-regularization.c \
	%D%/lecture11-images.c \
	%D%/lecture12-sequences.c \
	%D%/lecture13-attention.c
LECTURE_PROSE = $(LECTURE_FILES:.c=.prose.h)

# The runtime: options, prose, figures, errors (a static convenience library).
noinst_LIBRARIES += %D%/liblesson.a
%C%_liblesson_a_SOURCES = %D%/lesson.c %D%/lesson.h %D%/running.c %D%/running.h
LECTURE_LDADD = %D%/liblesson.a lib/libnncourse.la $(GSL_LIBS)

noinst_PROGRAMS += %D%/lecture1 %D%/lecture2 %D%/lecture3 %D%/lecture4 %D%/lecture5 \
	%D%/lecture6 %D%/lecture7 %D%/lecture8 %D%/lecture9 %D%/lecture10 %D%/lecture11 \
	%D%/lecture12 %D%/lecture13
%C%_lecture1_SOURCES = %D%/lecture1-derivatives.c
%C%_lecture1_LDADD = $(LECTURE_LDADD)
%C%_lecture2_SOURCES = %D%/lecture2-perceptron.c
%C%_lecture2_LDADD = $(LECTURE_LDADD)
%C%_lecture3_SOURCES = %D%/lecture3-forward-pass.c
%C%_lecture3_LDADD = $(LECTURE_LDADD)
%C%_lecture4_SOURCES = %D%/lecture4-loss.c
%C%_lecture4_LDADD = $(LECTURE_LDADD)
%C%_lecture5_SOURCES = %D%/lecture5-descent-1d.c
%C%_lecture5_LDADD = $(LECTURE_LDADD)
%C%_lecture6_SOURCES = %D%/lecture6-descent-2d.c
%C%_lecture6_LDADD = $(LECTURE_LDADD)
%C%_lecture7_SOURCES = %D%/lecture7-backprop.c
%C%_lecture7_LDADD = $(LECTURE_LDADD)
%C%_lecture8_SOURCES = %D%/lecture8-training.c
%C%_lecture8_LDADD = $(LECTURE_LDADD)
%C%_lecture9_SOURCES = %D%/lecture9-optimizers.c
%C%_lecture9_LDADD = $(LECTURE_LDADD)
%C%_lecture10_SOURCES = %D%/lecture10-regularization.c
%C%_lecture10_LDADD = $(LECTURE_LDADD)
%C%_lecture11_SOURCES = %D%/lecture11-images.c
%C%_lecture11_LDADD = $(LECTURE_LDADD) $(ZLIB_LIBS)
# Lecture 11 reads IDX headers through zlib and runs its PyTorch twin.
%C%_lecture11_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS) \
	-DLECTURE11_TORCH_SCRIPT='"$(abs_top_srcdir)/%D%/lecture11-torch.py"'
%D%/lecture11-lecture11-images.$(OBJEXT): %D%/lecture11-images.prose.h
EXTRA_DIST += %D%/lecture11-torch.py
%C%_lecture12_SOURCES = %D%/lecture12-sequences.c
%C%_lecture12_LDADD = $(LECTURE_LDADD)
# Lecture 12 reads its text from the source tree (any tree, distcheck's too).
%C%_lecture12_CPPFLAGS = $(AM_CPPFLAGS) \
	-DLECTURE12_TEXT='"$(abs_top_srcdir)/%D%/data/sonnets.txt"'
%D%/lecture12-lecture12-sequences.$(OBJEXT): %D%/lecture12-sequences.prose.h
EXTRA_DIST += %D%/data/sonnets.txt %D%/data/README
%C%_lecture13_SOURCES = %D%/lecture13-attention.c
%C%_lecture13_LDADD = $(LECTURE_LDADD)

# The prose of a lecture, its `///` lines, becomes a header in the build tree
# (the lecture includes "lectures/NAME.prose.h", found through
# -I$(top_builddir)). BUILT_SOURCES makes the headers before `make all` and
# `make check`; the static pattern rule below makes each one before its
# lecture's object for any other target (`make lecture1` in a fresh tree).
BUILT_SOURCES += $(LECTURE_PROSE)
CLEANFILES += $(LECTURE_PROSE)
EXTRA_DIST += %D%/prose.awk
$(LECTURE_PROSE:.prose.h=.$(OBJEXT)): %D%/%.$(OBJEXT): %D%/%.prose.h

%D%/%.prose.h: $(srcdir)/%D%/%.c $(srcdir)/%D%/prose.awk
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(AWK) -v source=$(<F) -f $(srcdir)/%D%/prose.awk $< > $@-t && \
	mv -f $@-t $@

# make lectureN: build lecture N, then run it (options in ARGS).
LECTURE_TARGETS = $(LECTURE_NUMBERS:%=lecture%)
$(LECTURE_TARGETS): lecture%: %D%/lecture%$(EXEEXT)
	./%D%/lecture$* --out out/lecture$* $(ARGS)

# make lectures: every lecture, one after the other, stopping at a failure.
lectures: $(LECTURE_NUMBERS:%=%D%/lecture%$(EXEEXT))
	@for n in $(LECTURE_NUMBERS); do \
	  echo "./%D%/lecture$$n --out out/lecture$$n $(ARGS)"; \
	  ./%D%/lecture$$n --out out/lecture$$n $(ARGS) || exit 1; \
	done

PHONY_TARGETS += lectures $(LECTURE_TARGETS)

# ===== make handouts =====
# Every lecture woven into one HTML page, handouts/lectureN.html: its prose
# beside its code, the numbers one run printed (--no-prose) and the figures
# that run wrote into handouts/lectureN/; and the course map,
# handouts/index.html. The folder reads offline and can be copied as it is.
# `make handouts ARGS="--seed 7"` passes options to every lecture.
noinst_PROGRAMS += %D%/handout
%C%_handout_SOURCES = %D%/handout.c %D%/highlight.c %D%/highlight.h
%C%_handout_CPPFLAGS = $(AM_CPPFLAGS) $(CMARK_CFLAGS)
%C%_handout_LDADD = $(CMARK_LIBS)
EXTRA_DIST += %D%/handout.css

HANDOUT_LECTURE_FILES = $(LECTURE_FILES:%=$(srcdir)/%)
HANDOUT_FILES = $(LECTURE_NUMBERS:%=handouts/lecture%.html) \
	handouts/index.html handouts/handout.css
handouts: $(HANDOUT_FILES)

# One run of lecture N into a fresh folder, then the page woven from it. A
# lecture that lacks its data (exit status 3, LESSON_EXIT_MISSING: lecture 11
# without Fashion-MNIST) gets its page from its prose and code, with its
# message in place of the numbers, so `make handouts` and `make check` work
# on a machine without the data set. Any other failure stops the page.
handouts/lecture%.html: %D%/lecture%$(EXEEXT) %D%/handout$(EXEEXT)
	$(AM_V_GEN)rm -rf handouts/lecture$* && $(MKDIR_P) handouts/lecture$* && \
	{ NO_COLOR=1 ./%D%/lecture$* --no-prose --out handouts/lecture$* $(ARGS) \
	    > handouts/lecture$*/lesson.txt 2> handouts/lecture$*/stderr.txt; \
	  status=$$?; cat handouts/lecture$*/stderr.txt >&2; \
	  case $$status in \
	    0) ;; \
	    3) sed 's/^/    /' handouts/lecture$*/stderr.txt > handouts/lecture$*/lesson.txt ;; \
	    *) exit 1 ;; \
	  esac; } && rm -f handouts/lecture$*/stderr.txt && \
	./%D%/handout --lesson handouts/lecture$*/lesson.txt \
	  --figures handouts/lecture$* --lectures '$(LECTURE_NUMBERS)' \
	  --out $@ $(srcdir)/%D%/lecture$*-*.c

handouts/index.html: %D%/handout$(EXEEXT) $(HANDOUT_LECTURE_FILES)
	$(AM_V_GEN)$(MKDIR_P) handouts && \
	./%D%/handout --index --out $@ $(HANDOUT_LECTURE_FILES)

handouts/handout.css: %D%/handout.css
	$(AM_V_GEN)$(MKDIR_P) handouts && cp $(srcdir)/%D%/handout.css $@

clean-local: clean-local-handouts
clean-local-handouts:
	-rm -rf handouts
PHONY_TARGETS += handouts clean-local-handouts
