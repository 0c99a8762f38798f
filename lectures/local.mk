## lectures/: literate programs, one per lecture, and the lesson runtime they
## share (lesson.h). `make lectureN` builds lecture N and runs it, writing its
## figures to out/lectureN in the build tree; `make lecture3 ARGS="--seed 7"`
## passes options; `make lectures` runs them all, one after the other.
##
## To add lecture N, in lectures/lectureN-topic.c: add N to LECTURE_NUMBERS,
## its prose header to LECTURE_PROSE, and a copy of lecture 1's four lines.

LECTURE_NUMBERS = 1
LECTURE_PROSE = \
	%D%/lecture1-derivatives.prose.h

# The runtime: options, prose, figures, errors (a static convenience library).
noinst_LIBRARIES += %D%/liblesson.a
%C%_liblesson_a_SOURCES = %D%/lesson.c %D%/lesson.h
LECTURE_LDADD = %D%/liblesson.a lib/libnncourse.la $(GSL_LIBS)

noinst_PROGRAMS += %D%/lecture1
%C%_lecture1_SOURCES = %D%/lecture1-derivatives.c
nodist_%C%_lecture1_SOURCES = %D%/lecture1-derivatives.prose.h
%C%_lecture1_LDADD = $(LECTURE_LDADD)

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
