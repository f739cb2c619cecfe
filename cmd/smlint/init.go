package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smlint/smlint/internal/requestmodel"
	"github.com/smlint/smlint/internal/scaffold"
)

// initCommand prints the minimal correct trust and permission policy (and
// the KMS key policy statement) for a setup, as JSON documents, Terraform or
// a CloudFormation template.
func initCommand(stdout io.Writer) *cli.Command {
	flags := append(setupFlags(),
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "json", Usage: strings.Join(scaffold.Formats, " | ")},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the files into DIR instead of printing them (json: " +
			scaffold.TrustFile + ", " + scaffold.PermissionFile + ", " + scaffold.KeyStatementFile + ")"},
		&cli.StringFlag{Name: "role-name", Usage: "name of the role to create (default " + scaffold.DefaultRoleName + ", or the name in --role-arn)"},
	)
	return &cli.Command{
		Name:  "init",
		Usage: "print the minimal correct permission and trust policy for a setup (JSON, Terraform or CloudFormation)",
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErr("init takes no PATH arguments (got %q)", c.Args().First())
			}
			format := c.String("format")
			if !contains(scaffold.Formats, format) {
				return usageErr("--format %q: want one of %s", format, strings.Join(scaffold.Formats, ", "))
			}
			setup, err := readSetup(c)
			if err != nil {
				return err
			}
			s, err := scaffold.Build(setup, requestmodel.Default(), c.String("role-name"))
			if err != nil {
				var ue *scaffold.UsageError
				if errors.As(err, &ue) {
					return usageErr("%v", err)
				}
				return &exitError{code: exitUsage, err: err}
			}
			dir := c.String("output")
			if dir == "" {
				return s.Render(stdout, format)
			}
			written, err := s.WriteFiles(dir, format)
			if err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("--output: %w", err)}
			}
			for _, p := range written {
				fmt.Fprintln(stdout, "wrote", p)
			}
			if s.KeyStatement != nil {
				fmt.Fprintln(stdout, "\nKMS key policy:", s.KeyNote)
			}
			for _, n := range s.Notes {
				fmt.Fprintln(stdout, "note:", n)
			}
			return nil
		},
	}
}
