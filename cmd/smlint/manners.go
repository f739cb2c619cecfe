package main

import (
	"errors"

	"fmt"
	"github.com/smlint/smlint/internal/engine"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

// `smlint --version` prints what `smlint version` prints.
func init() {
	cli.VersionPrinter = func(c *cli.Context) {
		fmt.Fprintln(c.App.Writer, "smlint", c.App.Version)
	}
}

// unknownCommand stops `smlint chek x` from being read as `smlint check
// chek x` (a path "chek"): a first argument that is not a command, a flag
// or an existing path, and is close to a command's name, is a typo.
// urfave/cli's SuggestCommand (Jaro-Winkler) picks the command.
func unknownCommand(app *cli.App, args []string) error {
	if len(args) < 2 {
		return nil
	}
	a := args[1]
	if a == "" || a == "-" || strings.HasPrefix(a, "-") || strings.ContainsAny(a, `/\.`) {
		return nil
	}
	for _, c := range app.Commands {
		if c.HasName(a) {
			return nil
		}
	}
	if a == "help" || a == "h" {
		return nil
	}
	if _, err := os.Lstat(a); err == nil {
		return nil
	}
	if cli.SuggestCommand == nil {
		return nil
	}
	if s := cli.SuggestCommand(app.Commands, a); s != "" && s != a {
		return fmt.Errorf("unknown command %q. %s (smlint help lists the commands; no file or directory %q exists either)", a, s, a)
	}
	return nil
}

// withFlagSuggestion adds urfave/cli's "did you mean" to an unknown-flag
// error.
func withFlagSuggestion(c *cli.Context, err error) error {
	const prefix = "flag provided but not defined: "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) || cli.SuggestFlag == nil {
		return err
	}
	name := strings.TrimLeft(strings.TrimPrefix(msg, prefix), "-")
	var flags []cli.Flag
	if c != nil && c.Command != nil && len(c.Command.Flags) > 0 {
		flags = c.Command.Flags
	} else if c != nil && c.App != nil {
		flags = c.App.Flags
	}
	if s := cli.SuggestFlag(flags, name, false); s != "" {
		return errors.New(msg + fmt.Sprintf(": did you mean %q?", s))
	}
	return err
}

// bashCompletion asks smlint itself for the candidates
// (--generate-bash-completion, urfave/cli) and falls back to file names.
const bashCompletion = `# smlint completion for bash: source <(smlint completion bash)
_smlint_complete() {
  local cur opts
  cur="${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == -* ]] || [[ $COMP_CWORD -eq 1 ]]; then
    opts=$("${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
    COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  fi
  if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
    COMPREPLY=($(compgen -f -- "${cur}"))
  fi
}
complete -o default -F _smlint_complete smlint
`

// completionCommand prints a shell completion script.
func completionCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: source <(smlint completion bash), or zsh, fish",
		ArgsUsage: "bash | zsh | fish",
		Action: func(c *cli.Context) error {
			switch c.Args().First() {
			case "bash":
				_, err := io.WriteString(stdout, bashCompletion)
				return err
			case "zsh":
				_, err := io.WriteString(stdout, "# smlint completion for zsh: source <(smlint completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion)
				return err
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				_, err = io.WriteString(stdout, script)
				return err
			}
			return usageErr("completion %q: want bash, zsh or fish", c.Args().First())
		},
	}
}

// helpCommand is `smlint help [COMMAND]`.
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "show the commands, or one command's flags, examples and exit codes",
		ArgsUsage: "[COMMAND]",
		Action: func(c *cli.Context) error {
			if name := c.Args().First(); name != "" {
				if c.App.Command(name) == nil {
					msg := fmt.Sprintf("help: no command %q", name)
					if cli.SuggestCommand != nil {
						if s := cli.SuggestCommand(c.App.Commands, name); s != "" {
							msg += ". " + s
						}
					}
					return usageErr("%s", msg)
				}
				return cli.ShowCommandHelp(c.Lineage()[1], name)
			}
			return cli.ShowAppHelp(c)
		},
	}
}

// checkDescription is the examples and exit codes `smlint help check`
// shows.
const checkDescription = `Examples:
   smlint check --example example                   a bundled setup with four mistakes
   smlint check --bucket acme-data get-role.json get-role-policy.json get-bucket-policy.json
   aws iam get-role --role-name x | smlint check - policy.json
   terraform show -json p > plan.json && smlint check --format sarif -o smlint.sarif plan.json
   smlint check --partial --quiet $(git diff --cached --name-only)   (what the pre-commit hook runs)

Exit codes:
   0  nothing at or above --fail-on (an unknown verdict too, unless --fail-on includes unknown)
   1  findings at or above --fail-on, or an unknown verdict with --fail-on unknown
   2  usage error, an input that could not be read, or no policy document in the PATHs`

// closestRule is ". Did you mean \"<id>\"?" for a mistyped rule id, by the
// same Jaro-Winkler suggestion urfave/cli makes for commands, or "".
func closestRule(rules []engine.Rule, id string) string {
	if cli.SuggestCommand == nil {
		return ""
	}
	cmds := make([]*cli.Command, 0, len(rules))
	for _, r := range rules {
		cmds = append(cmds, &cli.Command{Name: r.ID})
	}
	if s := cli.SuggestCommand(cmds, id); s != "" {
		return ". " + s
	}
	return ""
}
