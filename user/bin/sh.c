/*
 * sh - a small shell.
 *
 *   sh                  read commands from standard input (prompt "$ " on a terminal)
 *   sh -c 'command'     run one command line and exit with its status
 *   sh file             read commands from a file
 *
 * The language is a small subset of the POSIX shell:
 *
 *   cmd arg 'single quoted' "double quoted $x" back\ slash
 *   a | b | c           pipeline: the status is the status of c
 *   a ; b               sequence (a newline in a -c string is a ';' too)
 *   a &                 background job; $! is its pid.  On a terminal the
 *                       shell prints "[N] pid" and, before a later prompt,
 *                       "[N]+ Done  a", "Exit 3", "Killed (SIGTERM)" or
 *                       "Stopped (SIGTTIN)"
 *   a && b, a || b      run b only if a succeeded / failed
 *   < f  > f  >> f      redirect standard input / output (create, append)
 *   N<f N>f N>>f        the same for descriptor N (0..9), e.g. 2>errors
 *   N>&M N<&M N>&-      make N a copy of descriptor M, or close N
 *   $?  $$  $!  $NAME   last status, the shell's pid, last background pid,
 *                       environment variable (never split into several words)
 *   # comment           to the end of the line
 *   builtins            cd [dir], exit [n], wait [pid...], jobs, fg [%N], bg [%N]
 *
 * Job control, when the shell reads commands from its controlling
 * terminal: every job (a pipeline, or a list run with &) is a process
 * group of its own; the job in the foreground gets the terminal, so
 * Ctrl-C, Ctrl-\ and Ctrl-Z reach it alone; Ctrl-Z stops it and it joins
 * the jobs table; "fg %N" and "bg %N" continue a job in front or behind.
 * A job behind that reads the terminal is stopped (SIGTTIN) until fg.
 *
 * Not supported: variable assignment, globbing (*), ( subshells ), here
 * documents, if/while/for, %string job names, "kill %N".
 *
 * A status is 0..255; a command killed by signal N has status 128+N.
 *
 * How one line runs -- read the functions in this order:
 *
 *   tokenize()       cuts the line into words and operators.  A word keeps
 *                    its quotes: nothing is expanded yet.
 *   check_syntax()   rejects lines like "| a" or "a >" before anything runs.
 *   run_list()       ';' and '&' separate and-or lists,
 *   run_andor()      "&&" and "||" separate pipelines,
 *   run_pipeline()   '|' separates simple commands.
 *   build_command()  expands the words of one command (quotes, $?) just
 *                    before it runs, which is why "false; echo $?" prints 1.
 *   spawn_pipeline() forks one child per command, joins them with pipes,
 *                    and waits for every one of them (wait_fg).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXLINE 4096            /* longest input line, its '\n' included */

/* ------------------------------------------------------------------ state */

static struct {
	int interactive;        /* commands come from a terminal: prompt, job messages */
	int status;             /* $?: status of the last command */
	int last_killed;        /* the last foreground command died of a signal */
	int exit_requested;     /* the exit builtin ran: run nothing more */
	pid_t pid;              /* $$ */
	pid_t last_bg;          /* $!: the last background job, 0 if none yet */
	struct job **jobs;      /* background and stopped jobs, oldest first */
	int njobs, jobs_cap;
	int jobctl;             /* job control is on (see "jobs" below) */
	int tty_fd;             /* the terminal, for tcsetpgrp (job control) */
	pid_t pgid;             /* the shell's own process group (job control) */
} sh;

struct job;

/* -------------------------------------------------------------- utilities */

/*
 * Memory.  A shell cannot do anything useful without memory, so running out
 * ends it (bash does the same) instead of every caller checking for NULL.
 */
static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL) {
		fprintf(stderr, "sh: out of memory\n");
		exit(2);
	}
	return p;
}

static void *xmalloc(size_t size)
{
	return xrealloc(NULL, size);
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static void set_signal(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		fprintf(stderr, "sh: sigaction(%d): %s\n", sig, strerror(errno));
}

/* "SIGSEGV" for 11, in a static buffer; NULL for a number without a name. */
static const char *signal_name(int sig)
{
	static char name[3 + SIG2STR_MAX] = "SIG";

	return sig2str(sig, name + 3) == 0 ? name : NULL;
}

/* A wait status as a shell status: the exit status, or 128+N for signal N. */
static int status_of(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

/* waitpid() that retries when a signal interrupts it. */
static pid_t wait_for(pid_t pid, int *wstatus, int options)
{
	pid_t r;

	do
		r = waitpid(pid, wstatus, options);
	while (r < 0 && errno == EINTR);
	return r;
}

/* ------------------------------------------------------------------- jobs */

/*
 * A job is one pipeline or one "list &": the processes the shell started
 * for it.  With job control (an interactive shell on its controlling
 * terminal) each job is a process group of its own, led by its first
 * process, and only the foreground job owns the terminal: Ctrl-C and
 * Ctrl-Z reach it alone, and the shell, in a group of its own, lives on.
 * A foreground job that stops (Ctrl-Z) joins the table of background
 * jobs, where jobs, fg and bg find it as %N.
 */
enum job_state { JOB_RUNNING, JOB_STOPPED, JOB_DONE };

struct job {
	int id;                 /* %N; 0 while in the foreground, never in the table */
	pid_t pgid;             /* its process group: the pid of its first process */
	pid_t *pids;            /* its processes; 0 once reaped */
	char **names;           /* their command names, for reports */
	int npids;
	enum job_state state;
	int stop_sig;           /* JOB_STOPPED: the signal that stopped it */
	int status;             /* wait status of its last process, once reaped */
	char *text;             /* the command line, for jobs, fg and bg */
};

static struct job *job_new(const char *text)
{
	struct job *j = xmalloc(sizeof *j);

	memset(j, 0, sizeof *j);
	j->text = xstrdup(text);
	return j;
}

static void job_add_pid(struct job *j, pid_t pid, const char *name)
{
	j->pids = xrealloc(j->pids, (j->npids + 1) * sizeof *j->pids);
	j->names = xrealloc(j->names, (j->npids + 1) * sizeof *j->names);
	j->pids[j->npids] = pid;
	j->names[j->npids] = xstrdup(name);
	j->npids++;
	if (j->pgid == 0)
		j->pgid = pid;
}

static void job_free(struct job *j)
{
	for (int i = 0; i < j->npids; i++)
		free(j->names[i]);
	free(j->names);
	free(j->pids);
	free(j->text);
	free(j);
}

/* Put j in the table of background jobs with the next number. */
static void job_register(struct job *j)
{
	int id = 0;

	for (int i = 0; i < sh.njobs; i++)
		if (sh.jobs[i]->id > id)
			id = sh.jobs[i]->id;
	j->id = id + 1;
	if (sh.njobs == sh.jobs_cap) {
		sh.jobs_cap = sh.jobs_cap ? 2 * sh.jobs_cap : 8;
		sh.jobs = xrealloc(sh.jobs, sh.jobs_cap * sizeof *sh.jobs);
	}
	sh.jobs[sh.njobs++] = j;
}

/* Take j out of the table (if it is there) and free it. */
static void job_forget(struct job *j)
{
	for (int i = 0; i < sh.njobs; i++) {
		if (sh.jobs[i] == j) {
			memmove(&sh.jobs[i], &sh.jobs[i + 1], (sh.njobs - i - 1) * sizeof *sh.jobs);
			sh.njobs--;
			break;
		}
	}
	job_free(j);
}

/* The table's job with process pid; *index gets the process's place. */
static struct job *job_of_pid(pid_t pid, int *index)
{
	for (int i = 0; i < sh.njobs; i++)
		for (int k = 0; k < sh.jobs[i]->npids; k++)
			if (sh.jobs[i]->pids[k] == pid) {
				*index = k;
				return sh.jobs[i];
			}
	return NULL;
}

/* Process k of j changed (a wait status).  Returns 1 if j's state changed. */
static int job_note(struct job *j, int k, int wstatus)
{
	enum job_state old = j->state;

	if (WIFSTOPPED(wstatus)) {
		j->state = JOB_STOPPED;
		j->stop_sig = WSTOPSIG(wstatus);
	} else if (WIFCONTINUED(wstatus)) {
		j->state = JOB_RUNNING;
	} else {
		if (k == j->npids - 1)
			j->status = wstatus;
		j->pids[k] = 0;
		j->state = JOB_DONE;
		for (int i = 0; i < j->npids; i++)
			if (j->pids[i] != 0)
				j->state = old == JOB_STOPPED ? JOB_STOPPED : JOB_RUNNING;
	}
	return j->state != old;
}

/* "Stopped (SIGTSTP)", "Done", "Exit 3", "Killed (SIGTERM)" into buf. */
static const char *job_state_text(const struct job *j, char *buf, size_t size)
{
	const char *name;

	switch (j->state) {
	case JOB_RUNNING:
		return "Running";
	case JOB_STOPPED:
		name = signal_name(j->stop_sig);
		snprintf(buf, size, "Stopped (%s)", name ? name : "signal");
		return buf;
	default:
		if (WIFSIGNALED(j->status)) {
			name = signal_name(WTERMSIG(j->status));
			snprintf(buf, size, "Killed (%s)", name ? name : "signal");
		} else if (WEXITSTATUS(j->status) != 0) {
			snprintf(buf, size, "Exit %d", WEXITSTATUS(j->status));
		} else {
			snprintf(buf, size, "Done");
		}
		return buf;
	}
}

/* "[1]+ Stopped (SIGTSTP)   cat" on standard error. */
static void job_report(const struct job *j)
{
	char buf[48];

	fprintf(stderr, "[%d]%c %-18s %s\n", j->id,
		sh.njobs > 0 && sh.jobs[sh.njobs - 1] == j ? '+' : ' ',
		job_state_text(j, buf, sizeof buf), j->text);
}

/*
 * Collect what happened to background jobs, without blocking: ended
 * (reaped, reported, forgotten), stopped or continued (reported unless
 * quiet: the jobs builtin lists them anyway).  Called before each prompt:
 * a finished child stays a zombie until its parent waits for it, so a
 * shell that never did this would fill the process table.
 */
static void reap_jobs(int quiet)
{
	pid_t pid;
	int wstatus, k;

	while (sh.njobs > 0 &&
	       (pid = wait_for(-1, &wstatus, WNOHANG | WUNTRACED | WCONTINUED)) > 0) {
		struct job *j = job_of_pid(pid, &k);

		if (j == NULL || !job_note(j, k, wstatus))
			continue;
		if (sh.interactive && (j->state == JOB_DONE ||
				       (j->state == JOB_STOPPED && !quiet)))
			job_report(j);
		if (j->state == JOB_DONE)
			job_forget(j);
	}
}

/* The terminal goes to process group pgid (with job control). */
static void give_terminal(pid_t pgid)
{
	if (sh.jobctl && tcsetpgrp(sh.tty_fd, pgid) < 0)
		fprintf(stderr, "sh: tcsetpgrp: %s\n", strerror(errno));
}

/*
 * Wait for the foreground job j until it ends or stops, then take the
 * terminal back.  A process killed by a signal is reported, except by
 * SIGPIPE: in "yes | head -1" yes is meant to die of SIGPIPE once head
 * has gone, and that is no news.  A job that stops joins the table.
 * Returns the shell status of j (128+N when stopped by signal N); j is
 * freed unless it stopped.
 */
static int wait_fg(struct job *j)
{
	int status;

	sh.last_killed = 0;
	for (int k = 0; k < j->npids && j->state != JOB_STOPPED; k++) {
		int wstatus;

		if (j->pids[k] == 0)
			continue;
		if (wait_for(j->pids[k], &wstatus, WUNTRACED) < 0) {
			fprintf(stderr, "sh: waitpid: %s\n", strerror(errno));
			j->pids[k] = 0;
			j->status = 1 << 8;
			continue;
		}
		job_note(j, k, wstatus);
		if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) != SIGPIPE) {
			const char *name = signal_name(WTERMSIG(wstatus));

			fprintf(stderr, "sh: %s: killed by signal %d (%s)\n", j->names[k],
				WTERMSIG(wstatus), name != NULL ? name : "unknown");
		}
		if (k == j->npids - 1)
			sh.last_killed = WIFSIGNALED(wstatus);
	}
	give_terminal(sh.pgid);
	if (j->state == JOB_STOPPED) {
		if (j->id == 0)
			job_register(j);
		job_report(j);
		sh.last_killed = 1;     /* reported: no "exit status" line */
		return 128 + j->stop_sig;
	}
	status = status_of(j->status);
	job_forget(j);
	return status;
}

/* Block until background job j ends (the wait builtin).  Returns its status. */
static int wait_job(struct job *j)
{
	for (int k = 0; k < j->npids; k++) {
		int wstatus;

		if (j->pids[k] == 0)
			continue;
		if (wait_for(j->pids[k], &wstatus, 0) < 0) {
			fprintf(stderr, "sh: wait: %d: %s\n", (int)j->pids[k], strerror(errno));
			j->pids[k] = 0;
			j->status = 127 << 8;
			continue;
		}
		job_note(j, k, wstatus);
	}
	if (sh.interactive)
		job_report(j);
	int status = status_of(j->status);

	job_forget(j);
	return status;
}

/* -------------------------------------------------------------- tokenizer */

enum tok {
	T_WORD,
	T_PIPE,         /* |  */
	T_AND,          /* && */
	T_OR,           /* || */
	T_SEMI,         /* ;  or a newline */
	T_AMP,          /* &  */
	T_LESS,         /* <  (the redirections come last: see is_redirection) */
	T_GREAT,        /* >  */
	T_DGREAT,       /* >> */
	T_LESSAND,      /* <& */
	T_GREATAND,     /* >& */
};

static const char *const tok_text[] = {
	[T_WORD] = "word", [T_PIPE] = "|", [T_AND] = "&&", [T_OR] = "||",
	[T_SEMI] = ";", [T_AMP] = "&", [T_LESS] = "<", [T_GREAT] = ">",
	[T_DGREAT] = ">>", [T_LESSAND] = "<&", [T_GREATAND] = ">&",
};

struct token {
	enum tok type;
	int fd;                 /* a redirection: the descriptor it changes */
	char *word;             /* T_WORD: its text, quotes still in it */
};

/* The tokens of one line.  The words' text lives in one block, arena. */
struct tokens {
	struct token *v;
	int n, cap;
	char *arena;
};

static int is_redirection(enum tok type)
{
	return type >= T_LESS;
}

static void tok_push(struct tokens *ts, enum tok type, int fd, char *word)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 16;
		ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	ts->v[ts->n].type = type;
	ts->v[ts->n].fd = fd;
	ts->v[ts->n].word = word;
	ts->n++;
}

/*
 * Scan the operator at *pp and advance past it.  io_fd is N from "N>file",
 * or -1 when no number came before the operator.
 */
static void scan_operator(struct tokens *ts, const char **pp, int io_fd)
{
	const char *p = *pp;
	enum tok type;
	int fd = -1;

	switch (p[0]) {
	case '|': type = p[1] == '|' ? T_OR : T_PIPE; break;
	case '&': type = p[1] == '&' ? T_AND : T_AMP; break;
	case ';': type = T_SEMI; break;
	case '<': type = p[1] == '&' ? T_LESSAND : T_LESS; fd = 0; break;
	default:  /* '>' */
		type = p[1] == '>' ? T_DGREAT : p[1] == '&' ? T_GREATAND : T_GREAT;
		fd = 1;
		break;
	}
	*pp = p + strlen(tok_text[type]);
	tok_push(ts, type, io_fd >= 0 ? io_fd : fd, NULL);
}

/*
 * Copy the word at *pp to *outp, quotes and backslashes included, and advance
 * both past it.  A word ends at an unquoted blank or operator character.
 * Returns -1 if a quote is never closed.
 */
static int scan_word(const char **pp, char **outp)
{
	const char *p = *pp;
	char *out = *outp;

	while (*p != '\0' && strchr(" \t\r\n|&;<>", *p) == NULL) {
		char quote = *p;

		if (quote == '\'' || quote == '"') {
			*out++ = *p++;
			while (*p != '\0' && *p != quote) {
				if (quote == '"' && *p == '\\' && p[1] != '\0')
					*out++ = *p++;  /* \" does not end the quote */
				*out++ = *p++;
			}
			if (*p == '\0')
				return -1;
			*out++ = *p++;          /* the closing quote */
		} else {
			if (*p == '\\' && p[1] != '\0')
				*out++ = *p++;  /* \| \; \  ... stay in the word */
			*out++ = *p++;
		}
	}
	*out++ = '\0';
	*pp = p;
	*outp = out;
	return 0;
}

/*
 * A newline separates commands like ';', except where the line cannot end:
 * after nothing, or after ; & | && ||  ("a &&<newline>b" is one list).
 */
static void scan_newline(struct tokens *ts)
{
	if (ts->n == 0)
		return;
	switch (ts->v[ts->n - 1].type) {
	case T_SEMI: case T_AMP: case T_PIPE: case T_AND: case T_OR:
		return;
	default:
		tok_push(ts, T_SEMI, -1, NULL);
	}
}

/*
 * Cut line into tokens.  Every word is copied into ts->arena.  The words and
 * the '\0' after each fit in strlen(line) + 1 bytes: a word is a piece of the
 * line, and the character after it (or the end of the line) pays for its
 * '\0'.  Returns 0, or -1 after printing a syntax error.
 */
static int tokenize(const char *line, struct tokens *ts)
{
	const char *p = line;
	char *out = ts->arena = xmalloc(strlen(line) + 1);

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			return 0;
		if (*p == '#') {                /* a comment, up to the newline */
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (*p == '\n') {
			scan_newline(ts);
			p++;
		} else if (isdigit((unsigned char)p[0]) && (p[1] == '<' || p[1] == '>')) {
			int io_fd = p[0] - '0';  /* "2>file": the 2 is no word */

			p++;
			scan_operator(ts, &p, io_fd);
		} else if (strchr("|&;<>", *p) != NULL) {
			scan_operator(ts, &p, -1);
		} else {
			char *word = out;

			if (scan_word(&p, &out) < 0) {
				fprintf(stderr, "sh: syntax error: unterminated quote\n");
				return -1;
			}
			tok_push(ts, T_WORD, -1, word);
		}
	}
}

static int syntax_error(const struct tokens *ts, int i)
{
	if (i < ts->n)
		fprintf(stderr, "sh: syntax error near '%s'\n",
			ts->v[i].type == T_WORD ? ts->v[i].word : tok_text[ts->v[i].type]);
	else
		fprintf(stderr, "sh: syntax error: unexpected end of line\n");
	return -1;
}

/*
 * Check the grammar before running anything, so that "echo a; echo b |"
 * does not print "a" first.  Every | && || ; & needs a command before it,
 * every redirection a word after it, and the line cannot end in | && ||.
 */
static int check_syntax(const struct tokens *ts)
{
	int have_cmd = 0;       /* the current command has a word or redirection */

	for (int i = 0; i < ts->n; i++) {
		enum tok type = ts->v[i].type;

		if (type == T_WORD) {
			have_cmd = 1;
		} else if (is_redirection(type)) {
			if (i + 1 == ts->n || ts->v[i + 1].type != T_WORD)
				return syntax_error(ts, i + 1);
			i++;            /* the file name */
			have_cmd = 1;
		} else if (!have_cmd) {
			return syntax_error(ts, i);
		} else {
			have_cmd = 0;
		}
	}
	if (ts->n > 0 && !have_cmd) {
		enum tok last = ts->v[ts->n - 1].type;

		if (last == T_PIPE || last == T_AND || last == T_OR)
			return syntax_error(ts, ts->n);
	}
	return 0;
}

/* -------------------------------------------------------------- expansion */

/* A growing string. */
struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_putc(struct strbuf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static void sb_puts(struct strbuf *b, const char *s)
{
	while (*s != '\0')
		sb_putc(b, *s++);
}

static void sb_putnum(struct strbuf *b, long n)
{
	char num[24];

	snprintf(num, sizeof num, "%ld", n);
	sb_puts(b, num);
}

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/*
 * Expand the '$' at p into b: $? $$ $! or $NAME (an environment variable;
 * unset is empty).  A '$' followed by anything else is just a '$'.
 * Returns the position after what was expanded.
 */
static const char *expand_dollar(const char *p, struct strbuf *b)
{
	const char *end = p + 1;
	char *name;
	const char *value;

	switch (p[1]) {
	case '?': sb_putnum(b, sh.status); return p + 2;
	case '$': sb_putnum(b, sh.pid); return p + 2;
	case '!':
		if (sh.last_bg > 0)
			sb_putnum(b, sh.last_bg);
		return p + 2;
	}
	if (!isalpha((unsigned char)p[1]) && p[1] != '_') {
		sb_putc(b, '$');
		return p + 1;
	}
	while (is_name_char(*end))
		end++;
	name = xmalloc(end - p);                /* the name and its '\0' */
	memcpy(name, p + 1, end - p - 1);
	name[end - p - 1] = '\0';
	value = getenv(name);
	if (value != NULL)
		sb_puts(b, value);
	free(name);
	return end;
}

/* Expand the inside of "...": $ works, \ only quotes $ " \ and `. */
static const char *expand_double_quoted(const char *p, struct strbuf *b)
{
	while (*p != '\0' && *p != '"') {
		if (*p == '\\' && p[1] != '\0' && strchr("$\"\\`", p[1]) != NULL) {
			sb_putc(b, p[1]);
			p += 2;
		} else if (*p == '$') {
			p = expand_dollar(p, b);
		} else {
			sb_putc(b, *p++);
		}
	}
	return *p == '"' ? p + 1 : p;
}

/*
 * Expand one word: take its quotes away and replace its $ expansions.
 * Returns a new string for the caller to free, or NULL when the word
 * vanishes: an unquoted expansion that came out empty ($UNSET) gives no
 * argument at all, while "" or "$UNSET" gives one empty argument.
 */
static char *expand_word(const char *p)
{
	struct strbuf b = { NULL, 0, 0 };
	int quoted = 0;

	while (*p != '\0') {
		switch (*p) {
		case '\'':              /* '...': every character as it is */
			quoted = 1;
			for (p++; *p != '\0' && *p != '\''; p++)
				sb_putc(&b, *p);
			if (*p == '\'')
				p++;
			break;
		case '"':
			quoted = 1;
			p = expand_double_quoted(p + 1, &b);
			break;
		case '\\':              /* \c: the character c itself */
			quoted = 1;
			sb_putc(&b, p[1] != '\0' ? p[1] : '\\');
			p += p[1] != '\0' ? 2 : 1;
			break;
		case '$':
			p = expand_dollar(p, &b);
			break;
		default:
			sb_putc(&b, *p++);
		}
	}
	if (b.s == NULL)
		return quoted ? xstrdup("") : NULL;
	return b.s;
}

/* ------------------------------------------------------- simple commands */

struct redirection {
	enum tok op;            /* T_LESS ... T_GREATAND */
	int fd;                 /* the descriptor redirected */
	char *target;           /* file name, or descriptor number for <& >& */
};

/* One simple command, expanded and ready to run. */
struct command {
	char **argv;            /* argc words and a NULL */
	int argc;
	struct redirection *redirs;
	int nredirs;
};

/* Expand the n tokens of one simple command into cmd. */
static void build_command(const struct token *t, int n, struct command *cmd)
{
	cmd->argv = xmalloc((n + 1) * sizeof *cmd->argv);
	cmd->redirs = xmalloc(n * sizeof *cmd->redirs);
	cmd->argc = 0;
	cmd->nredirs = 0;
	for (int i = 0; i < n; i++) {
		if (t[i].type == T_WORD) {
			char *arg = expand_word(t[i].word);

			if (arg != NULL)
				cmd->argv[cmd->argc++] = arg;
		} else {
			struct redirection *r = &cmd->redirs[cmd->nredirs++];

			r->op = t[i].type;
			r->fd = t[i].fd;
			r->target = expand_word(t[++i].word);
			if (r->target == NULL)
				r->target = xstrdup("");
		}
	}
	cmd->argv[cmd->argc] = NULL;
}

static void free_command(struct command *cmd)
{
	for (int i = 0; i < cmd->argc; i++)
		free(cmd->argv[i]);
	for (int i = 0; i < cmd->nredirs; i++)
		free(cmd->redirs[i].target);
	free(cmd->argv);
	free(cmd->redirs);
}

/* N>&M and N<&M: make fd N a copy of fd M; N>&- closes N. */
static int duplicate_fd(const struct redirection *r)
{
	char *end;
	long from;

	if (strcmp(r->target, "-") == 0) {
		close(r->fd);   /* closing a closed descriptor is no error here */
		return 0;
	}
	errno = 0;
	from = strtol(r->target, &end, 10);
	if (r->target[0] == '\0' || *end != '\0' || errno != 0 || from < 0 || from > 1000000) {
		fprintf(stderr, "sh: %s: not a file descriptor number\n", r->target);
		return -1;
	}
	if (from != r->fd && dup2((int)from, r->fd) < 0) {
		fprintf(stderr, "sh: %ld: %s\n", from, strerror(errno));
		return -1;
	}
	return 0;
}

/* Carry out one redirection in this process.  Returns 0 or -1 (reported). */
static int apply_redirection(const struct redirection *r)
{
	int fd;

	switch (r->op) {
	case T_LESS:
		fd = open(r->target, O_RDONLY);
		break;
	case T_GREAT:
		fd = open(r->target, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		break;
	case T_DGREAT:
		fd = open(r->target, O_WRONLY | O_CREAT | O_APPEND, 0666);
		break;
	default:
		return duplicate_fd(r);
	}
	if (fd < 0) {
		fprintf(stderr, "sh: %s: %s\n", r->target, strerror(errno));
		return -1;
	}
	if (fd != r->fd) {
		if (dup2(fd, r->fd) < 0) {
			fprintf(stderr, "sh: %s: %s\n", r->target, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int apply_redirections(const struct command *cmd)
{
	for (int i = 0; i < cmd->nredirs; i++)
		if (apply_redirection(&cmd->redirs[i]) < 0)
			return -1;
	return 0;
}

/* --------------------------------------------------------------- builtins */

/*
 * cd, exit and wait must run inside the shell itself: a child that changed
 * its directory, exited or waited would change nothing for the shell.
 */
static int builtin_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("HOME");

	if (argc > 2) {
		fprintf(stderr, "sh: cd: too many arguments\n");
		return 1;
	}
	if (dir == NULL || dir[0] == '\0')
		dir = "/";
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static int builtin_exit(int argc, char **argv)
{
	int status = sh.status;

	if (argc > 2) {
		fprintf(stderr, "sh: exit: too many arguments\n");
		return 1;
	}
	if (argc == 2) {
		char *end;
		long n;

		errno = 0;
		n = strtol(argv[1], &end, 10);
		if (argv[1][0] == '\0' || *end != '\0' || errno != 0) {
			fprintf(stderr, "sh: exit: %s: numeric argument required\n", argv[1]);
			n = 2;
		}
		status = (int)(n & 255);
	}
	sh.exit_requested = 1;
	return status;
}

/* wait: wait for every background job (status 0); wait pid...: for those. */
static int builtin_wait(int argc, char **argv)
{
	int status = 0;

	if (argc == 1) {
		while (sh.njobs > 0)
			wait_job(sh.jobs[0]);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *j = NULL;
		char *end;
		long pid;
		int k;

		errno = 0;
		pid = strtol(argv[i], &end, 10);
		if (argv[i][0] != '\0' && *end == '\0' && errno == 0 && pid > 0)
			j = job_of_pid((pid_t)pid, &k);
		if (j == NULL) {
			fprintf(stderr, "sh: wait: %s: no such background job\n", argv[i]);
			status = 127;
			continue;
		}
		status = wait_job(j);
	}
	return status;
}

/* The job "%N" (or "N") names, or the latest one when spec is NULL. */
static struct job *find_job(const char *who, const char *spec)
{
	char *end;
	long id;

	if (spec == NULL) {
		if (sh.njobs > 0)
			return sh.jobs[sh.njobs - 1];
		fprintf(stderr, "sh: %s: no current job\n", who);
		return NULL;
	}
	id = strtol(spec[0] == '%' ? spec + 1 : spec, &end, 10);
	for (int i = 0; i < sh.njobs && *end == '\0'; i++)
		if (sh.jobs[i]->id == id)
			return sh.jobs[i];
	fprintf(stderr, "sh: %s: %s: no such job\n", who, spec);
	return NULL;
}

/* jobs: list the background and stopped jobs. */
static int builtin_jobs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	reap_jobs(1);           /* up to date: what ended or stopped meanwhile */
	for (int i = 0; i < sh.njobs; i++)
		job_report(sh.jobs[i]);
	return 0;
}

/* Send SIGCONT to job j: to its group with job control, else to each process. */
static void continue_job(struct job *j)
{
	if (sh.jobctl) {
		if (kill(-j->pgid, SIGCONT) < 0)
			fprintf(stderr, "sh: kill: %s\n", strerror(errno));
	} else {
		for (int k = 0; k < j->npids; k++)
			if (j->pids[k] != 0)
				kill(j->pids[k], SIGCONT);
	}
	j->state = JOB_RUNNING;
}

/* fg [%N]: bring a job to the foreground (continuing it), wait for it. */
static int builtin_fg(int argc, char **argv)
{
	struct job *j;

	if (argc > 2) {
		fprintf(stderr, "sh: fg: too many arguments\n");
		return 1;
	}
	j = find_job("fg", argc > 1 ? argv[1] : NULL);
	if (j == NULL)
		return 1;
	fprintf(stderr, "%s\n", j->text);
	give_terminal(j->pgid);
	continue_job(j);
	return wait_fg(j);
}

/* bg [%N]: let a stopped job go on in the background. */
static int builtin_bg(int argc, char **argv)
{
	struct job *j;

	if (argc > 2) {
		fprintf(stderr, "sh: bg: too many arguments\n");
		return 1;
	}
	j = find_job("bg", argc > 1 ? argv[1] : NULL);
	if (j == NULL)
		return 1;
	continue_job(j);
	fprintf(stderr, "[%d] %s &\n", j->id, j->text);
	return 0;
}

typedef int builtin_fn(int argc, char **argv);

static builtin_fn *find_builtin(const char *name)
{
	static const struct {
		const char *name;
		builtin_fn *fn;
	} builtins[] = {
		{ "bg", builtin_bg },
		{ "cd", builtin_cd },
		{ "exit", builtin_exit },
		{ "fg", builtin_fg },
		{ "jobs", builtin_jobs },
		{ "wait", builtin_wait },
	};

	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}

/*
 * Run a builtin in the shell process with its redirections ("cd x 2>/dev/null"),
 * then put the shell's own descriptors back.  Each descriptor about to be
 * replaced is first saved as a copy numbered 10 or more (redirections only
 * name 0..9, so the copy cannot be in the way); -1 means "was closed".
 */
static int run_builtin(const struct command *cmd, builtin_fn *fn)
{
	int *saved = xmalloc(cmd->nredirs * sizeof *saved);
	int status = 1;
	int i;

	for (i = 0; i < cmd->nredirs; i++) {
		int fd = cmd->redirs[i].fd;

		saved[i] = fcntl(fd, F_DUPFD, 10);
		if (saved[i] < 0 && errno != EBADF) {
			fprintf(stderr, "sh: cannot save descriptor %d: %s\n", fd, strerror(errno));
			goto restore;
		}
		if (apply_redirection(&cmd->redirs[i]) < 0) {
			i++;
			goto restore;
		}
	}
	status = fn(cmd->argc, cmd->argv);
restore:
	while (i-- > 0) {               /* undo in reverse order */
		int fd = cmd->redirs[i].fd;

		if (saved[i] < 0) {
			close(fd);
		} else {
			if (dup2(saved[i], fd) < 0)
				fprintf(stderr, "sh: cannot restore descriptor %d: %s\n",
					fd, strerror(errno));
			close(saved[i]);
		}
	}
	free(saved);
	return status;
}

/* -------------------------------------------------------------- pipelines */

/* The signals an interactive shell ignores, back to their defaults. */
static void default_signals(void)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		set_signal(sigs[i], SIG_DFL);
}

/*
 * In a new child of job j (pgid 0: the child is its first process): join
 * the job's group and, for a foreground job, take the terminal.  The
 * parent does the same (setpgid) so that neither order of the two
 * matters; the child must take the terminal itself before exec, or a
 * command that reads at once would find itself in the background.
 */
static void enter_job(pid_t pgid, int foreground)
{
	if (!sh.jobctl)
		return;
	setpgid(0, pgid);
	if (foreground)
		give_terminal(getpgrp());
	default_signals();
}

/*
 * Become the command: redirect, then exec.  Runs in a child, or in the shell
 * itself for the last command of "sh -c" (see run_pipeline).  Never returns.
 */
_Noreturn static void exec_command(struct command *cmd)
{
	builtin_fn *fn;

	if (apply_redirections(cmd) < 0)
		_exit(1);
	if (cmd->argc == 0)             /* just "> file": the file is made */
		_exit(0);
	fn = find_builtin(cmd->argv[0]);
	if (fn != NULL)                 /* e.g. "exit 3 | cat" */
		_exit(fn(cmd->argc, cmd->argv));
	if (sh.interactive)             /* the shell ignores these; the command must not */
		default_signals();
	execvp(cmd->argv[0], cmd->argv);
	if (errno == ENOENT) {
		fprintf(stderr, "sh: %s: not found\n", cmd->argv[0]);
		_exit(127);
	}
	fprintf(stderr, "sh: %s: %s\n", cmd->argv[0], strerror(errno));
	_exit(126);
}

/* In a child: move descriptor from to number to (or die trying). */
static void move_fd(int from, int to)
{
	if (from == to)
		return;
	if (dup2(from, to) < 0) {
		fprintf(stderr, "sh: dup2: %s\n", strerror(errno));
		_exit(1);
	}
	close(from);
}

static void close_if_open(int fd)
{
	if (fd >= 0)
		close(fd);
}

/*
 * Run cmds[0] | cmds[1] | ... | cmds[n-1] and wait for all of them.  Child i
 * reads from the pipe made for child i-1 (in_fd) and writes into a new pipe
 * (p); the parent closes its copies of both ends at once, or a reader would
 * never see end-of-file.  Redirections come after the pipes, so they win:
 * "a > f | b" writes to f.  Returns the status of the last command.
 */
static int spawn_pipeline(struct command *cmds, int n, const char *text)
{
	struct job *j = job_new(text);
	int started = 0, in_fd = -1, status;

	for (int i = 0; i < n; i++) {
		int p[2] = { -1, -1 };
		pid_t pid;

		if (i + 1 < n && pipe(p) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
			close_if_open(p[0]);
			close_if_open(p[1]);
			break;
		}
		if (pid == 0) {
			enter_job(j->pgid, 1);
			if (in_fd >= 0)
				move_fd(in_fd, 0);
			if (p[1] >= 0) {
				close(p[0]);
				move_fd(p[1], 1);
			}
			exec_command(&cmds[i]);
		}
		if (sh.jobctl)
			setpgid(pid, j->pgid ? j->pgid : pid);
		job_add_pid(j, pid, cmds[i].argc > 0 ? cmds[i].argv[0] : "(redirection)");
		started++;
		close_if_open(in_fd);
		close_if_open(p[1]);
		in_fd = p[0];
	}
	close_if_open(in_fd);           /* only open if the loop stopped early */
	if (started == 0) {
		job_free(j);
		sh.last_killed = 0;
		return 1;
	}
	give_terminal(j->pgid);
	status = wait_fg(j);
	if (started < n) {              /* the pipeline never ran in full */
		status = 1;
		sh.last_killed = 0;
	}
	return status;
}

/* The n tokens as one line of text, for the job table: "cat f | wc". */
static char *tokens_text(const struct token *t, int n)
{
	struct strbuf b = { NULL, 0, 0 };

	for (int i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(&b, ' ');
		if (t[i].type == T_WORD) {
			sb_puts(&b, t[i].word);
		} else {
			if (is_redirection(t[i].type) && t[i].fd != (t[i].type == T_LESS ||
			    t[i].type == T_LESSAND ? 0 : 1))
				sb_putnum(&b, t[i].fd);
			sb_puts(&b, tok_text[t[i].type]);
		}
	}
	return b.s != NULL ? b.s : xstrdup("");
}

/*
 * Run one pipeline (the n tokens between && || ; &).  may_exec says nothing
 * will run after it in this shell; then a lone external command replaces
 * the shell instead of being forked ("sh -c prog" becomes prog, so whoever
 * waits for the shell sees prog's own exit or signal, as in other shells).
 */
static int run_pipeline(const struct token *t, int n, int may_exec)
{
	struct command *cmds;
	char *text;
	builtin_fn *fn = NULL;
	int ncmds = 1, start = 0, c = 0, status;

	for (int i = 0; i < n; i++)
		ncmds += t[i].type == T_PIPE;
	cmds = xmalloc(ncmds * sizeof *cmds);
	text = tokens_text(t, n);
	for (int i = 0; i <= n; i++) {
		if (i == n || t[i].type == T_PIPE) {
			build_command(t + start, i - start, &cmds[c++]);
			start = i + 1;
		}
	}
	sh.last_killed = 0;
	if (ncmds == 1 && cmds[0].argc > 0)
		fn = find_builtin(cmds[0].argv[0]);
	if (fn != NULL)
		status = run_builtin(&cmds[0], fn);
	else if (ncmds == 1 && may_exec && sh.njobs == 0)
		exec_command(&cmds[0]);
	else
		status = spawn_pipeline(cmds, ncmds, text);
	for (int i = 0; i < ncmds; i++)
		free_command(&cmds[i]);
	free(cmds);
	free(text);
	sh.status = status;
	return status;
}

/*
 * Run an and-or list: pipelines joined by && and ||.  "a && b" runs b only if
 * the last status is 0, "a || b" only if it is not; a skipped pipeline leaves
 * $? alone, so "false && x || y" runs y.
 */
static int run_andor(const struct token *t, int n, int may_exec)
{
	int i = 0, skip = 0;

	for (;;) {
		int j = i;

		while (j < n && t[j].type != T_AND && t[j].type != T_OR)
			j++;
		if (!skip)
			run_pipeline(t + i, j - i, may_exec && j == n);
		if (j == n || sh.exit_requested)
			return sh.status;
		skip = t[j].type == T_AND ? sh.status != 0 : sh.status == 0;
		i = j + 1;
	}
}

/*
 * "list &": run the and-or list in a child and do not wait for it.  With
 * job control the child is a job of its own (a process group the terminal
 * does not have in front: if it reads the terminal it is stopped with
 * SIGTTIN, and Ctrl-C does not reach it).  Without, POSIX has background
 * commands ignore SIGINT and SIGQUIT and read /dev/null instead of
 * competing with the shell for the terminal.
 */
static void run_background(const struct token *t, int n)
{
	pid_t pid = fork();
	struct job *j;
	char *text;

	if (pid < 0) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		sh.status = 1;
		return;
	}
	if (pid == 0) {
		if (sh.jobctl) {
			enter_job(0, 0);
		} else {
			int fd;

			set_signal(SIGINT, SIG_IGN);
			set_signal(SIGQUIT, SIG_IGN);
			fd = open("/dev/null", O_RDONLY);
			if (fd >= 0)    /* no /dev/null: keep stdin, no harm */
				move_fd(fd, 0);
		}
		sh.interactive = 0;
		sh.jobctl = 0;          /* its pipelines stay in its group */
		sh.njobs = 0;           /* the parent's jobs are not our children */
		_exit(run_andor(t, n, 1));
	}
	if (sh.jobctl)
		setpgid(pid, pid);
	text = tokens_text(t, n);
	j = job_new(text);
	free(text);
	job_add_pid(j, pid, "sh");
	job_register(j);
	sh.last_bg = pid;
	sh.status = 0;
	if (sh.interactive)
		fprintf(stderr, "[%d] %d\n", j->id, (int)pid);
}

/*
 * Run a whole line: and-or lists separated by ';' (wait) or '&' (do not).
 * may_exec: this line is the last thing the shell does (sh -c).
 */
static void run_list(const struct tokens *ts, int may_exec)
{
	int i = 0;

	while (i < ts->n && !sh.exit_requested) {
		int j = i;

		while (j < ts->n && ts->v[j].type != T_SEMI && ts->v[j].type != T_AMP)
			j++;
		if (j < ts->n && ts->v[j].type == T_AMP) {
			run_background(ts->v + i, j - i);
		} else {
			run_andor(ts->v + i, j - i, may_exec && j + 1 >= ts->n);
			if (sh.interactive && sh.status != 0 && !sh.last_killed &&
			    !sh.exit_requested)
				fprintf(stderr, "sh: exit status %d\n", sh.status);
		}
		i = j + 1;
	}
}

static void run_line(const char *line, int may_exec)
{
	struct tokens ts = { NULL, 0, 0, NULL };

	if (tokenize(line, &ts) == 0 && check_syntax(&ts) == 0)
		run_list(&ts, may_exec);
	else
		sh.status = 2;
	free(ts.v);
	free(ts.arena);
}

/* ------------------------------------------------------------------ input */

/*
 * Reading lines.  From a file the shell reads a block at a time.  From
 * standard input it reads one byte at a time: it must not swallow input past
 * the end of its line, because that input may be meant for a command it
 * runs ("printf 'cat\nhello\n' | sh" must let cat read "hello").
 */
struct reader {
	int fd;
	int bytewise;
	size_t pos, len;
	char buf[4096];
};

enum { LINE_OK, LINE_EOF, LINE_ERROR, LINE_TOO_LONG };

/* Next byte into *c.  Returns 1, 0 at end of file, -1 on error (errno). */
static int reader_getc(struct reader *r, char *c)
{
	if (r->pos == r->len) {
		ssize_t n;

		do
			n = read(r->fd, r->buf, r->bytewise ? 1 : sizeof r->buf);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return (int)n;
		r->pos = 0;
		r->len = (size_t)n;
	}
	*c = r->buf[r->pos++];
	return 1;
}

/*
 * Read one line, without its '\n', into line (cap bytes).  A line too long
 * for it is read to its end and thrown away.  Zero bytes are dropped.
 */
static int read_line(struct reader *r, char *line, size_t cap)
{
	size_t len = 0;
	int too_long = 0, got_any = 0, rc;
	char c = 0;

	while ((rc = reader_getc(r, &c)) == 1) {
		got_any = 1;
		if (c == '\n')
			break;
		if (c == '\0')
			continue;
		if (len + 1 < cap)
			line[len++] = c;
		else
			too_long = 1;
	}
	if (rc < 0)
		return LINE_ERROR;
	if (!got_any)
		return LINE_EOF;
	line[len] = '\0';
	return too_long ? LINE_TOO_LONG : LINE_OK;
}

/* The read-run loop for "sh" and "sh file". */
static void run_input(struct reader *r)
{
	static char line[MAXLINE];

	for (;;) {
		reap_jobs(0);
		if (sh.interactive)
			fputs("$ ", stderr);
		switch (read_line(r, line, sizeof line)) {
		case LINE_EOF:
			if (sh.interactive)
				fputc('\n', stderr);
			return;
		case LINE_ERROR:
			fprintf(stderr, "sh: read: %s\n", strerror(errno));
			sh.status = 1;
			return;
		case LINE_TOO_LONG:
			fprintf(stderr, "sh: line longer than %d bytes ignored\n", MAXLINE - 1);
			sh.status = 2;
			continue;
		}
		run_line(line, 0);
		if (sh.exit_requested)
			return;
	}
}

/*
 * Open the script for "sh file".  Its descriptor is moved to 10 or above, out
 * of the way of redirections (they name 0..9: "cd / 3>x" must not replace
 * the script), and closed on exec, so commands do not inherit it.
 */
static int open_script(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int high;

	if (fd < 0)
		return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (high < 0)           /* not fatal: the script just stays at fd */
		return fd;
	close(fd);
	return high;
}

/*
 * An interactive shell on its controlling terminal takes up job control:
 * it moves to a process group of its own and takes the terminal.  Like
 * other shells it ignores the terminal's signals: SIGTTOU so that it may
 * hand the terminal over from the background, SIGTSTP so that Ctrl-Z at
 * the prompt does not stop it, and SIGINT and SIGQUIT for Ctrl-C and
 * Ctrl-\ typed at the prompt (while a job runs, the terminal does not
 * send them to the shell at all: it is not in the foreground group).
 * Its children put all of these back (default_signals).
 */
static void start_job_control(void)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		set_signal(sigs[i], SIG_IGN);
	sh.tty_fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
	if (sh.tty_fd < 0 || tcgetpgrp(sh.tty_fd) < 0)
		return;         /* not our controlling terminal: no job control */
	if (getpgrp() != getpid() && setpgid(0, 0) < 0)
		fprintf(stderr, "sh: setpgid: %s\n", strerror(errno));
	sh.pgid = getpgrp();
	sh.jobctl = 1;
	give_terminal(sh.pgid);
}

int main(int argc, char **argv)
{
	static struct reader r;

	sh.pid = getpid();
	if (getenv("PATH") == NULL && setenv("PATH", "/bin", 1) < 0)
		fprintf(stderr, "sh: setenv: %s\n", strerror(errno));

	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			fprintf(stderr, "sh: -c: option requires an argument\n");
			return 2;
		}
		run_line(argv[2], 1);
	} else if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "sh: %s: unknown option\nusage: sh [-c command | file]\n", argv[1]);
		return 2;
	} else if (argc > 1) {
		r.fd = open_script(argv[1]);
		if (r.fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		run_input(&r);
		close(r.fd);
	} else {
		r.fd = 0;
		r.bytewise = 1;
		sh.interactive = isatty(0);
		if (sh.interactive)
			start_job_control();
		run_input(&r);
	}
	while (sh.njobs > 0)            /* the jobs live on; their table does not */
		job_free(sh.jobs[--sh.njobs]);
	free(sh.jobs);
	return sh.status;
}
