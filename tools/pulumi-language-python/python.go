package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// program is where the program lives and how it asked to be run (Pulumi.yaml `runtime.options`).
type program struct {
	root    string // directory of Pulumi.yaml
	dir     string // program directory
	entry   string // entry point, relative to dir ("." runs dir/__main__.py)
	options map[string]any
}

// programOf reads a ProgramInfo, falling back to the deprecated pwd/program fields.
func programOf(info *pulumirpc.ProgramInfo, pwd, entry string) program {
	p := program{
		root:  info.GetRootDirectory(),
		dir:   info.GetProgramDirectory(),
		entry: info.GetEntryPoint(),
	}
	if opts := info.GetOptions(); opts != nil {
		p.options = opts.AsMap()
	}
	if p.dir == "" {
		p.dir = pwd
	}
	if p.root == "" {
		p.root = p.dir
	}
	if p.entry == "" {
		p.entry = entry
	}
	if p.entry == "" {
		p.entry = "."
	}
	return p
}

// interpreter picks the Python that runs the program, with the environment to run it in (base
// plus what activating the virtualenv does): the `virtualenv` option (relative to Pulumi.yaml),
// else PULUMI_PYTHON_CMD, else python3 or python.
func interpreter(p program, base []string) (string, []string, error) {
	if tc, _ := p.options["toolchain"].(string); tc != "" && tc != "pip" {
		return "", nil, fmt.Errorf("runtime option toolchain: %q is not supported by this minimal "+
			"language host; use `virtualenv:` or PULUMI_PYTHON_CMD (docs/pulumi-cli.md)", tc)
	}
	if venv, _ := p.options["virtualenv"].(string); venv != "" {
		if !filepath.IsAbs(venv) {
			venv = filepath.Join(p.root, venv)
		}
		py := filepath.Join(venv, "bin", "python")
		if _, err := os.Stat(py); err != nil {
			return "", nil, fmt.Errorf("the 'virtualenv' option in Pulumi.yaml is %q, but %s does not exist; "+
				"create it with `python3 -m venv %s` and install the project's dependencies into it",
				venv, py, venv)
		}
		// What activating the virtualenv would do.
		env := withEnv(base, []string{
			"VIRTUAL_ENV=" + venv,
			"PATH=" + filepath.Join(venv, "bin") + string(os.PathListSeparator) + envValue(base, "PATH"),
		})
		return py, withoutEnv(env, "PYTHONHOME"), nil
	}
	if cmd := envValue(base, "PULUMI_PYTHON_CMD"); cmd != "" {
		py, err := exec.LookPath(cmd)
		if err != nil {
			return "", nil, fmt.Errorf("PULUMI_PYTHON_CMD=%q: %w", cmd, err)
		}
		return py, base, nil
	}
	for _, name := range []string{"python3", "python"} {
		if py, err := exec.LookPath(name); err == nil {
			return py, base, nil
		}
	}
	return "", nil, fmt.Errorf("no python3 or python on PATH; set PULUMI_PYTHON_CMD or the " +
		"'virtualenv' runtime option in Pulumi.yaml")
}

// withEnv returns env with the KEY=value entries of set replacing any earlier ones.
func withEnv(env, set []string) []string {
	for _, kv := range set {
		key, _, _ := strings.Cut(kv, "=")
		env = append(withoutEnv(env, key), kv)
	}
	return env
}

// envValue returns the value of key in env, or "" (the last entry wins, as in os/exec).
func envValue(env []string, key string) string {
	value := ""
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			value = v
		}
	}
	return value
}

// withoutEnv returns env without the entries for key.
func withoutEnv(env []string, key string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return out
}
