package io.kubeward.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.RuleCompilationException.RuleError;
import io.kubeward.engine.config.Configuration;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.Findings;
import io.kubeward.engine.model.KubeObject;
import io.kubeward.engine.model.NodeView;
import io.kubeward.engine.model.ServiceView;
import io.kubeward.engine.model.VolumeView;
import io.kubeward.engine.model.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.rule.AgendaFilter;

/**
 * The entry point: a compiled rule set that evaluates Kubernetes objects.
 *
 * <p>Built once (compiling DRL is the expensive part) and then thread-safe: every evaluation runs
 * in a session of its own. Three ways to evaluate:
 * <ul>
 *   <li>{@link #evaluate(InputObject)}: one object on its own;</li>
 *   <li>{@link #evaluateEach(Collection)}: a batch, each object on its own (cross-resource rules see
 *       one object at a time);</li>
 *   <li>{@link #evaluateSnapshot(Collection)}: all objects together, so cross-resource rules see
 *       Nodes, Services, NetworkPolicies and workloads at once.</li>
 * </ul>
 *
 * <pre>
 * PolicyEngine engine = PolicyEngine.builder().build();          // built-in rule packs
 * EvaluationResult result = engine.evaluateSnapshot(objects);
 * result.findings().forEach(f -&gt; System.out.println(f.rule() + " " + f.path()));
 * </pre>
 */
public final class PolicyEngine {

    /** Default upper bound of rule firings in one evaluation; beyond it a rule is taken to loop. */
    public static final int DEFAULT_MAX_FIRINGS = 5_000_000;

    private final KieBase kieBase;
    /** Sessions are reset and reused: creating one costs about as much as evaluating a pod. */
    private final KieSessionsPool sessions;
    private final RuleCatalog catalog;
    /** Descriptor of each DRL rule, by "package/rule name". */
    private final Map<String, RuleDescriptor> descriptors;
    /** Category of each rule id. */
    private final Map<String, String> categories;
    private final List<String> warnings;
    private final boolean findingsGlobal;
    private final int maxFirings;
    /** Id of each opt-in DRL rule, by "package/rule name"; empty when the rule set has none. */
    private final Map<String, String> optInIdByRule;
    private final Set<String> optInIds;
    private final int precompiledRules;
    /** Whether some rule may read the network facts (NetworkPolicy views) or the PodSecurityPolicy facts. */
    private final boolean networkFacts;
    private final boolean podSecurityPolicyFacts;

    /** The built-in packages that read neither the network nor the PodSecurityPolicy facts. */
    private static final Set<String> WORKLOAD_ONLY_PACKAGES =
            Set.of("kubeward.hostnamespaces", "kubeward.podsecurity", "kubeward.securitycontext");

    private PolicyEngine(KieBase kieBase, Map<String, RuleDescriptor> descriptors, List<String> warnings, int maxFirings,
                         int precompiledRules) {
        this.kieBase = kieBase;
        this.precompiledRules = precompiledRules;
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
        this.maxFirings = maxFirings;
        Map<String, RuleDescriptor> byId = new LinkedHashMap<>();
        descriptors.values().forEach(d -> byId.putIfAbsent(d.id(), d));
        this.catalog = new RuleCatalog(new ArrayList<>(byId.values()));
        this.descriptors = Map.copyOf(descriptors);
        Map<String, String> cats = new HashMap<>();
        descriptors.values().forEach(d -> cats.put(d.id(), d.category()));
        this.categories = Map.copyOf(cats);
        this.warnings = List.copyOf(warnings);
        this.findingsGlobal = kieBase.getKiePackages().stream()
                .anyMatch(p -> p.getGlobalVariables().stream().anyMatch(g -> g.getName().equals("findings")));
        Map<String, String> optIn = new HashMap<>();
        descriptors.forEach((rule, d) -> {
            if (d.optIn()) {
                optIn.put(rule, d.id());
            }
        });
        this.optInIdByRule = Map.copyOf(optIn);
        this.optInIds = Set.copyOf(optIn.values());
        // a rule set that reads neither is spared building them; user packages may read anything
        Set<String> ruled = new java.util.HashSet<>();
        kieBase.getKiePackages().stream().filter(p -> !p.getRules().isEmpty()).forEach(p -> ruled.add(p.getName()));
        boolean other = ruled.stream().anyMatch(p -> !WORKLOAD_ONLY_PACKAGES.contains(p)
                && !p.equals("kubeward.network") && !p.equals("kubeward.podsecuritypolicy"));
        this.networkFacts = other || ruled.contains("kubeward.network");
        this.podSecurityPolicyFacts = other || ruled.contains("kubeward.podsecuritypolicy");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every rule this engine runs, with its metadata. */
    public RuleCatalog catalog() {
        return catalog;
    }

    /** Compiler warnings of the rule set (the rule set still runs). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * How many of the engine's DRL rules came precompiled to Drools' executable model (the built-in
     * packs, when their jar carries it) instead of being compiled from DRL when the engine was built.
     */
    public int precompiledRuleCount() {
        return precompiledRules;
    }

    public EvaluationResult evaluate(HasMetadata object) {
        return evaluate(InputObject.of(object));
    }

    public EvaluationResult evaluate(InputObject object) {
        return evaluateSnapshot(List.of(object), EvaluationOptions.DEFAULT);
    }

    public EvaluationResult evaluate(InputObject object, EvaluationOptions options) {
        return evaluateSnapshot(List.of(object), options);
    }

    /** Each object on its own, results merged. */
    public EvaluationResult evaluateEach(Collection<InputObject> objects) {
        return evaluateEach(objects, EvaluationOptions.DEFAULT);
    }

    /** Each object on its own, results merged. */
    public EvaluationResult evaluateEach(Collection<InputObject> objects, EvaluationOptions options) {
        EvaluationResult result = EvaluationResult.empty();
        for (InputObject o : objects) {
            result = result.merge(evaluateSnapshot(List.of(o), options));
        }
        return result;
    }

    /** All objects together, as one cluster snapshot. */
    public EvaluationResult evaluateSnapshot(Collection<InputObject> objects) {
        return evaluateSnapshot(objects, EvaluationOptions.DEFAULT);
    }

    /**
     * All objects together, as one cluster snapshot. The options' profile, when set, is in the
     * session as a {@link PodSecurityProfile} fact for the Pod Security Standards rules.
     */
    public EvaluationResult evaluateSnapshot(Collection<InputObject> objects, EvaluationOptions options) {
        checkOptInRules(options);
        AgendaFilter filter = agendaFilter(options);
        FactSet facts = new FactSet(objects, networkFacts, podSecurityPolicyFacts);
        Findings findings = new Findings(descriptors);
        KieSession session = sessions.newKieSession();
        boolean clean = false;
        try {
            if (findingsGlobal) {
                session.setGlobal("findings", findings);
            }
            session.insert(facts.cluster);
            if (options.profile() != null) {
                session.insert(options.profile());
            }
            for (KubeObject o : facts.objects) {
                session.insert(o);
            }
            for (NodeView n : facts.nodes) {
                session.insert(n);
            }
            for (ServiceView s : facts.services) {
                session.insert(s);
            }
            for (Object n : facts.network) {
                session.insert(n);
            }
            for (Workload w : facts.workloads) {
                session.insert(w);
                for (ContainerView c : w.getContainers()) {
                    session.insert(c);
                    for (ContainerPort p : c.getPorts()) {
                        session.insert(p);
                    }
                }
                for (VolumeView v : w.getVolumeSources()) {
                    session.insert(v);
                }
            }
            for (Object f : facts.podSecurityPolicies.facts()) {
                session.insert(f);
            }
            int fired = filter == null ? session.fireAllRules(maxFirings) : session.fireAllRules(filter, maxFirings);
            if (fired >= maxFirings) {
                throw new RuleEvaluationException("rules fired " + fired + " times in one evaluation; a rule probably loops", null);
            }
            clean = true;
        } catch (RuleEvaluationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuleEvaluationException("a rule failed while evaluating: " + rootMessage(e), e);
        } finally {
            if (clean) {
                session.dispose(); // resets it and returns it to the pool
            } else {
                session.destroy(); // a session a rule failed in is not reused
            }
        }
        facts.podSecurityPolicies.reportUnadmitted(findings);
        List<Finding> reported = ExemptionPolicy.apply(findings.all(), facts, options, categories);
        return new EvaluationResult(reported, NodeExposureAnalyzer.analyze(facts), facts.evaluated, facts.skipped);
    }

    /**
     * @throws IllegalArgumentException when the options enable a rule that is not an opt-in rule of
     *     this engine, naming the opt-in rules there are
     */
    private void checkOptInRules(EvaluationOptions options) {
        for (String id : options.optInRules()) {
            if (!optInIds.contains(id)) {
                String known = optInIds.isEmpty() ? "this rule set has none" : "known: " + String.join(", ", new java.util.TreeSet<>(optInIds));
                String what = catalog.find(id).isPresent() ? "rule '" + id + "' is not an opt-in rule (it always runs)"
                        : "no rule with id '" + id + "'";
                throw new IllegalArgumentException("cannot enable opt-in rule: " + what + "; " + known);
            }
        }
    }

    /**
     * Holds back the opt-in rules neither the options nor the configuration enable, and the rules
     * the configuration switches off; null when nothing is held back.
     */
    private AgendaFilter agendaFilter(EvaluationOptions options) {
        Configuration config = options.configuration();
        Set<String> optIns = new java.util.HashSet<>(options.optInRules());
        for (String id : optInIds) {
            if (config.isExplicitlyEnabled(id)) {
                optIns.add(id);
            }
        }
        boolean allOptInsRun = optInIds.isEmpty() || optIns.containsAll(optInIds);
        if (allOptInsRun && config == Configuration.EMPTY) {
            return null;
        }
        // the verdict depends on the rule alone: decided once per rule of the evaluation, not once per match
        Map<Rule, Boolean> verdicts = new java.util.IdentityHashMap<>();
        return match -> verdicts.computeIfAbsent(match.getRule(), r -> {
            String key = r.getPackageName() + "/" + r.getName();
            String optInId = optInIdByRule.get(key);
            if (optInId != null && !optIns.contains(optInId)) {
                return false;
            }
            RuleDescriptor d = descriptors.get(key);
            return d == null || config.isEnabled(d.id(), d.category());
        });
    }

    /**
     * Runs the rules over facts the caller prepared instead of input objects: the PodSecurityPolicy
     * admission inserts its {@code PolicyReview}s this way and reads the refusals the rules record
     * in them. Findings the rules report are returned as usual; no object counts as evaluated.
     */
    public EvaluationResult evaluateFacts(Collection<?> prepared, EvaluationOptions options) {
        Findings findings = new Findings(descriptors);
        KieSession session = kieBase.newKieSession();
        try {
            if (findingsGlobal) {
                session.setGlobal("findings", findings);
            }
            if (options.profile() != null) {
                session.insert(options.profile());
            }
            for (Object f : prepared) {
                session.insert(f);
            }
            AgendaFilter filter = agendaFilter(options);
            int fired = filter == null ? session.fireAllRules(maxFirings) : session.fireAllRules(filter, maxFirings);
            if (fired >= maxFirings) {
                throw new RuleEvaluationException("rules fired " + fired + " times in one evaluation; a rule probably loops", null);
            }
        } catch (RuleEvaluationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuleEvaluationException("a rule failed while evaluating: " + rootMessage(e), e);
        } finally {
            session.dispose();
        }
        return new EvaluationResult(findings.all(), List.of(), 0, List.of());
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        while (c != null && c != e) {
            sb.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    /** Collects rule sources and compiles them into an engine. */
    public static final class Builder {

        private final List<RuleSource> sources = new ArrayList<>();
        private boolean builtin = true;
        /** The built-in packs (DRL packages) to keep; null for all. */
        private Set<String> builtinPacks;
        private ClassLoader loader = PolicyEngine.class.getClassLoader();
        private int maxFirings = DEFAULT_MAX_FIRINGS;

        private Builder() {
        }

        /** How many rule firings one evaluation may take before it is stopped as a loop. */
        public Builder maxFirings(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxFirings must be positive");
            }
            this.maxFirings = max;
            return this;
        }

        /** Leaves out the built-in packs found on the classpath (they are in by default). */
        public Builder withoutBuiltinRules() {
            this.builtin = false;
            return this;
        }

        /**
         * Keeps only these built-in packs, by DRL package as {@link RuleDescriptor#pack()} names them
         * (e.g. {@code kubeward.podsecurity}); the rules added with {@link #addRules} are kept in any case.
         *
         * @throws IllegalArgumentException at {@link #build()}, when no built-in pack has one of the names
         */
        public Builder onlyBuiltinPacks(String... packs) {
            this.builtinPacks = new java.util.LinkedHashSet<>(Arrays.asList(packs));
            return this;
        }

        /** The class loader to find built-in packs and fact classes in. */
        public Builder classLoader(ClassLoader loader) {
            this.loader = loader;
            return this;
        }

        public Builder addRules(RuleSource... more) {
            sources.addAll(Arrays.asList(more));
            return this;
        }

        public Builder addRules(Collection<RuleSource> more) {
            sources.addAll(more);
            return this;
        }

        /** Every {@code .drl} file below a folder of the user's. */
        public Builder addRuleDirectory(Path dir) {
            sources.addAll(RuleSource.directory(dir));
            return this;
        }

        /**
         * Compiles everything. A rule set with any error is refused whole. Built-in packs that come
         * precompiled to the executable model are loaded as they are, not compiled; other built-in
         * DRL and the rules added here are compiled.
         *
         * @throws RuleCompilationException listing each error's file, line, column and message
         */
        public PolicyEngine build() {
            List<RuleSource> builtins = builtin ? RuleSource.builtin(loader) : List.of();
            java.util.function.Predicate<String> keepPack = builtinPacks == null ? pack -> true : builtinPacks::contains;
            Optional<PrecompiledRules> precompiled = builtin ? PrecompiledRules.find(loader, keepPack) : Optional.empty();
            if (builtin && builtinPacks != null) {
                Map<RuleSource, String> packOf = new HashMap<>();
                builtins.forEach(b -> packOf.put(b, DrlOutline.of(b.drl()).pack()));
                Set<String> known = new java.util.TreeSet<>(packOf.values());
                precompiled.ifPresent(p -> known.addAll(p.packages()));
                for (String pack : builtinPacks) {
                    if (!known.contains(pack)) {
                        throw new IllegalArgumentException("no built-in pack '" + pack + "'; the built-in packs are: " + String.join(", ", known));
                    }
                }
                builtins = builtins.stream().filter(b -> keepPack.test(packOf.get(b))).toList();
            }
            if (precompiled.isPresent()) {
                Optional<PolicyEngine> engine = compile(precompiled.get(), builtins, sources, loader, maxFirings);
                if (engine.isPresent()) {
                    return engine.get();
                }
            }
            List<RuleSource> all = new ArrayList<>(builtins);
            all.addAll(sources);
            return compile(all, loader, maxFirings);
        }
    }

    /** Name of the knowledge base DRL is compiled into. */
    private static final String KIE_BASE = "kubeward";

    /** DRL compiled into a module of the KieServices repository (remove it when done), without errors. */
    private record CompiledDrl(KieServices services, ReleaseId releaseId, KieBuilder builder, Map<String, String> pathToName,
                               List<String> warnings) {

        KieBase newKieBase(ClassLoader loader) {
            KieContainer container = services.newKieContainer(releaseId, loader);
            return container.getKieBase();
        }

        /** The compiled packages, in no knowledge base yet. */
        Collection<KiePackage> packages() {
            return ((InternalKieModule) builder.getKieModule()).getKnowledgePackagesForKieBase(KIE_BASE);
        }

        void release() {
            services.getRepository().removeKieModule(releaseId);
        }
    }

    /** Every rule compiled from DRL, as before the packs came precompiled. */
    private static PolicyEngine compile(List<RuleSource> sources, ClassLoader loader, int maxFirings) {
        CompiledDrl drl = compileDrl(sources, loader);
        KieBase kieBase;
        try {
            kieBase = drl.newKieBase(loader);
        } finally {
            drl.release();
        }
        List<RuleError> errors = new ArrayList<>();
        Map<String, RuleDescriptor> descriptors = describe(kieBase, rule -> originOf(rule, drl.pathToName()), errors);
        if (!errors.isEmpty()) {
            throw new RuleCompilationException(errors);
        }
        return new PolicyEngine(kieBase, descriptors, drl.warnings(), maxFirings, 0);
    }

    /**
     * The precompiled rules, plus the DRL they do not cover (built-in files outside the model, the
     * caller's rules) compiled and added to the same knowledge base, so one session runs them all.
     * Empty when the precompiled rules do not load after all (the caller then compiles every DRL).
     */
    private static Optional<PolicyEngine> compile(PrecompiledRules precompiled, List<RuleSource> builtins, List<RuleSource> added,
                                                  ClassLoader loader, int maxFirings) {
        Map<String, String> origins = new HashMap<>();
        List<RuleSource> toCompile = new ArrayList<>();
        for (RuleSource s : builtins) {
            DrlOutline outline = DrlOutline.of(s.drl());
            if (precompiled.covers(outline)) {
                outline.rules().forEach(r -> origins.put(outline.pack() + "/" + r.name(), s.name()));
            } else {
                toCompile.add(s);
            }
        }
        toCompile.addAll(added);
        CompiledDrl drl = toCompile.isEmpty() ? null : compileDrl(toCompile, loader);
        InternalKnowledgeBase kieBase;
        try {
            try {
                kieBase = precompiled.newKieBase(drl != null);
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty();
            }
            if (drl != null) {
                Collection<KiePackage> packages = drl.packages();
                List<RuleError> clashes = clashes(packages, precompiled, origins, drl.pathToName(), toCompile);
                if (!clashes.isEmpty()) {
                    throw new RuleCompilationException(clashes);
                }
                kieBase.addPackages(packages);
            }
        } finally {
            if (drl != null) {
                drl.release();
            }
        }
        Map<String, String> pathToName = drl == null ? Map.of() : drl.pathToName();
        List<RuleError> errors = new ArrayList<>();
        Map<String, RuleDescriptor> descriptors = describe(kieBase,
                rule -> origins.getOrDefault(rule.getPackageName() + "/" + rule.getName(), originOf(rule, pathToName)), errors);
        if (!errors.isEmpty()) {
            throw new RuleCompilationException(errors);
        }
        return Optional.of(new PolicyEngine(kieBase, descriptors, drl == null ? List.of() : drl.warnings(), maxFirings,
                precompiled.ruleCount()));
    }

    /**
     * Compiled rules that would replace a precompiled rule of the same package and name (compiled
     * together, Drools refuses such a pair; added later, the second would silently win).
     */
    private static List<RuleError> clashes(Collection<KiePackage> packages, PrecompiledRules precompiled, Map<String, String> origins,
                                           Map<String, String> pathToName, List<RuleSource> sources) {
        List<RuleError> errors = new ArrayList<>();
        for (KiePackage pkg : packages) {
            for (Rule rule : pkg.getRules()) {
                if (!precompiled.contains(pkg.getName(), rule.getName())) {
                    continue;
                }
                String file = originOf(rule, pathToName);
                int line = 0;
                int column = 0;
                for (RuleSource s : sources) {
                    if (s.name().equals(file)) {
                        for (DrlOutline.DeclaredRule r : DrlOutline.of(s.drl()).rules()) {
                            if (r.name().equals(rule.getName())) {
                                line = r.line();
                                column = r.column();
                            }
                        }
                    }
                }
                String builtIn = origins.getOrDefault(pkg.getName() + "/" + rule.getName(), "a built-in rule pack");
                errors.add(new RuleError(file, line, column, "duplicate rule name \"" + rule.getName() + "\": package " + pkg.getName()
                        + " already has a built-in rule of that name (" + builtIn + "); rule names must be unique within a package"));
            }
        }
        return errors;
    }

    private static CompiledDrl compileDrl(List<RuleSource> sources, ClassLoader loader) {
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId releaseId = ks.newReleaseId("io.kubeward.rules", "rules-" + UUID.randomUUID(), "1.0.0");
        kfs.generateAndWritePomXML(releaseId);
        KieModuleModel module = ks.newKieModuleModel();
        module.setConfigurationProperty("drools.propertySpecific", PrecompiledRules.PROPERTY_SPECIFIC);
        module.newKieBaseModel(KIE_BASE).setDefault(true).addPackage("*")
                .setEqualsBehavior(PrecompiledRules.EQUALITY);
        kfs.writeKModuleXML(module.toXML());
        Map<String, String> pathToName = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            RuleSource s = sources.get(i);
            // the folder follows the DRL package, as Drools expects, with an index to keep files apart
            String path = "src/main/resources/" + packageFolder(s.drl()) + "/r" + i + "_" + fileName(s.name());
            pathToName.put(path, s.name());
            pathToName.put(path.substring("src/main/resources/".length()), s.name());
            kfs.write(path, ks.getResources().newByteArrayResource(s.drl().getBytes(StandardCharsets.UTF_8)).setSourcePath(path));
        }
        KieBuilder kb = ks.newKieBuilder(kfs, loader).buildAll();
        List<RuleError> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<RuleError> consequential = new ArrayList<>();
        for (Message m : kb.getResults().getMessages()) {
            String file = m.getPath() == null ? null : pathToName.getOrDefault(m.getPath(), m.getPath());
            if (m.getLevel() == Message.Level.ERROR && m.getText() != null && m.getText().contains("Parser returned a null Package")) {
                consequential.add(new RuleError(file, 0, 0, "the file could not be parsed"));
                continue; // a consequence of the syntax errors reported for the same file
            }
            if (m.getLevel() == Message.Level.ERROR) {
                errors.add(new RuleError(file, Math.max(m.getLine(), 0), columnOf(m), oneLine(m.getText())));
            } else if (m.getLevel() == Message.Level.WARNING) {
                warnings.add(new RuleError(file, Math.max(m.getLine(), 0), columnOf(m), oneLine(m.getText())).display());
            }
        }
        if (errors.isEmpty()) {
            errors.addAll(consequential);
        }
        if (!errors.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            throw new RuleCompilationException(errors);
        }
        return new CompiledDrl(ks, releaseId, kb, pathToName, warnings);
    }

    private static final java.util.regex.Pattern PACKAGE =
            java.util.regex.Pattern.compile("^\\s*package\\s+([\\w.]+)", java.util.regex.Pattern.MULTILINE);

    private static String packageFolder(String drl) {
        java.util.regex.Matcher m = PACKAGE.matcher(drl);
        return m.find() ? m.group(1).replace('.', '/') : "defaultpkg";
    }

    private static String fileName(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return base.endsWith(".drl") ? base : base + ".drl";
    }

    private static final java.util.regex.Pattern PARSER_POSITION = java.util.regex.Pattern.compile("\\bLine (\\d+):(\\d+)\\b");

    /**
     * The message's 1-based column; for parser errors, which carry none, the column their text
     * names ("Line 3:46", counted from 0) when it is on the message's line; 0 when unknown.
     */
    private static int columnOf(Message m) {
        if (m.getColumn() > 0) {
            return m.getColumn();
        }
        java.util.regex.Matcher p = PARSER_POSITION.matcher(m.getText() == null ? "" : m.getText());
        if (p.find() && Integer.parseInt(p.group(1)) == m.getLine()) {
            return Integer.parseInt(p.group(2)) + 1;
        }
        return 0;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * Reads each rule's metadata. A rule's id is its name, or its {@code @id} when several DRL rules
     * of one package make up one logical rule (they share the first one's metadata; each may set
     * its own {@code @severity}). A rule without a valid severity, or an id used in two packages, is
     * an error. Returns the descriptor of every DRL rule by rule name; the catalogue is their
     * distinct ids.
     */
    private static Map<String, RuleDescriptor> describe(KieBase kieBase, Function<Rule, String> originOf, List<RuleError> errors) {
        Map<String, RuleDescriptor> byRuleName = new LinkedHashMap<>();
        Map<String, RuleDescriptor> primaries = new HashMap<>();
        List<Rule> secondaries = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                Object id = rule.getMetaData().get("id");
                if (id != null && !id.toString().equals(rule.getName())) {
                    secondaries.add(rule);
                    continue;
                }
                String origin = originOf.apply(rule);
                Map<String, Object> meta = rule.getMetaData();
                Severity severity = severityOf(rule, origin, errors);
                Boolean optIn = optInOf(rule, origin, errors);
                if (severity == null || optIn == null) {
                    continue;
                }
                RuleDescriptor d = new RuleDescriptor(rule.getName(), pkg.getName(), severity,
                        text(meta, "title", rule.getName()), text(meta, "category", pkg.getName()),
                        text(meta, "rationale", ""), text(meta, "remediation", ""), text(meta, "docs", ""),
                        list(meta.get("fields")), origin, text(meta, "control", ""), optIn);
                RuleDescriptor before = primaries.put(d.id(), d);
                if (before != null) {
                    errors.add(new RuleError(origin, 0, 0, "rule id \"" + d.id() + "\" is already used in " + before.origin()
                            + "; rule ids must be unique across packages"));
                }
                byRuleName.put(pkg.getName() + "/" + rule.getName(), d);
            }
        }
        for (Rule rule : secondaries) {
            String origin = originOf.apply(rule);
            String id = rule.getMetaData().get("id").toString();
            RuleDescriptor primary = primaries.get(id);
            if (primary == null || !primary.pack().equals(rule.getPackageName())) {
                errors.add(new RuleError(origin, 0, 0, "rule \"" + rule.getName() + "\" declares @id(\"" + id
                        + "\"), but package " + rule.getPackageName() + " has no rule named \"" + id + "\""));
                continue;
            }
            Severity severity = rule.getMetaData().containsKey("severity") ? severityOf(rule, origin, errors) : primary.severity();
            if (severity == null) {
                continue;
            }
            byRuleName.put(rule.getPackageName() + "/" + rule.getName(), new RuleDescriptor(primary.id(), primary.pack(), severity,
                    primary.title(), primary.category(), primary.rationale(), primary.remediation(), primary.docs(),
                    primary.fields(), primary.origin(), primary.control(), primary.optIn()));
        }
        return byRuleName;
    }

    private static Severity severityOf(Rule rule, String origin, List<RuleError> errors) {
        Object sev = rule.getMetaData().get("severity");
        try {
            return Severity.parse(sev == null ? null : sev.toString());
        } catch (IllegalArgumentException e) {
            errors.add(new RuleError(origin, 0, 0, "rule \"" + rule.getName() + "\": " + e.getMessage()
                    + " (declare it as @severity(\"high\"))"));
            return null;
        }
    }

    private static String originOf(Rule rule, Map<String, String> pathToName) {
        if (rule instanceof org.drools.base.definitions.rule.impl.RuleImpl impl && impl.getResource() != null
                && impl.getResource().getSourcePath() != null) {
            String p = impl.getResource().getSourcePath();
            return pathToName.getOrDefault(p, p);
        }
        return rule.getPackageName();
    }

    private static String text(Map<String, Object> meta, String key, String fallback) {
        Object v = meta.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().strip();
    }

    /** {@code @optIn("true")} or {@code @optIn("false")}; absent is false; anything else an error (null). */
    private static Boolean optInOf(Rule rule, String origin, List<RuleError> errors) {
        Object v = rule.getMetaData().get("optIn");
        String text = v == null ? "false" : v.toString().strip();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        errors.add(new RuleError(origin, 0, 0, "rule \"" + rule.getName() + "\": @optIn must be \"true\" or \"false\", not \"" + text + "\""));
        return null;
    }

    private static List<String> list(Object v) {
        if (v == null) {
            return List.of();
        }
        return Arrays.stream(v.toString().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
