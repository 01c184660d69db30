package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GeneratePackage writes a Python SDK for a package schema with Pulumi's own Python code generator
// (pkg/v3/codegen/python), as `pulumi package gen-sdk --language python` and `pulumi package add`
// ask. Schema errors come back as diagnostics; references to other packages go through the
// engine's schema loader.
func (h *host) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("parsing the package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, err := codegen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), cached)
	if err != nil {
		return nil, err
	}
	if err := writeFiles(req.GetDirectory(), files); err != nil {
		return nil, err
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// GenerateProgram writes a PCL program in Python with Pulumi's own program generator, as Pulumi's
// host does: `pulumi import` prints the code of what it imported through it (without it, the import
// itself succeeds but the command fails at the end unless `--generate-code=false`). The files are
// parsed in name order so that diagnostics come out the same each time.
func (h *host) GenerateProgram(
	_ context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	parser := syntax.NewParser()
	names := make([]string, 0, len(req.GetSource()))
	for name := range req.GetSource() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(req.GetSource()[name]), name); err != nil {
			return nil, err
		}
	}
	if parser.Diagnostics.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics)}, nil
	}

	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() || program == nil {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, genDiags, err := codegen.GenerateProgram(program)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GenerateProgramResponse{
		Source:      files,
		Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(append(diags, genDiags...)),
	}, nil
}

// writeFiles writes the generated files under dir, in a stable order.
func writeFiles(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

// Link answers `pulumi package add` after GeneratePackage. Pulumi's host adds the SDK folder to
// requirements.txt and installs it; this host installs nothing (see InstallDependencies), so it
// edits no file and says how to install and import each SDK instead.
func (h *host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var install, imports strings.Builder
	for _, dep := range req.GetPackages() {
		if dep.GetPackage().GetName() == "pulumi" {
			continue
		}
		module, alias, err := pythonNames(ctx, cached, dep.GetPackage())
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&install, "  pip install -e %s\n", dep.GetPath())
		fmt.Fprintf(&imports, "  import %s as %s\n", module, alias)
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "This minimal Python language host installs nothing. " +
		"Install the SDK into the project's virtualenv, from the project folder:\n\n" + install.String() +
		"\nThen import it in your Python code with:\n\n" + imports.String()}, nil
}

// pythonNames returns the module of a package's Python SDK and the name to import it as, as
// Pulumi's host names them: the schema's `language.python.packageName` for both, else
// `<namespace or pulumi>_<name>` imported as `<name>`.
func pythonNames(
	ctx context.Context, loader schema.ReferenceLoader, dep *pulumirpc.PackageDependency,
) (string, string, error) {
	desc := &schema.PackageDescriptor{Name: dep.GetName(), DownloadURL: dep.GetServer()}
	if v, err := semver.ParseTolerant(dep.GetVersion()); err == nil {
		desc.Version = &v
	}
	if p := dep.GetParameterization(); p != nil {
		desc.Parameterization = &schema.ParameterizationDescriptor{Name: p.GetName(), Value: p.GetValue()}
		if v, err := semver.ParseTolerant(p.GetVersion()); err == nil {
			desc.Parameterization.Version = v
		}
	}
	ref, err := schema.LoadPackageReferenceV2(ctx, loader, desc)
	if err != nil {
		return "", "", fmt.Errorf("loading the schema of %s: %w", dep.GetName(), err)
	}
	pkg, err := ref.Definition()
	if err != nil {
		return "", "", err
	}
	if err := pkg.ImportLanguages(map[string]schema.Language{"python": codegen.Importer}); err != nil {
		return "", "", err
	}
	if info, ok := pkg.Language["python"].(codegen.PackageInfo); ok && info.PackageName != "" {
		return info.PackageName, info.PackageName, nil
	}
	return codegen.PyPack(ref.Namespace(), ref.Name()), strings.ReplaceAll(ref.Name(), "-", "_"), nil
}
