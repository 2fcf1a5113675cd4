package io.kubeward.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.model.Model;
import org.drools.model.Rule;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EqualityBehaviorOption;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderFactory;

/**
 * Built-in rule packs compiled to Drools' executable model when their jar was built, so that no DRL
 * of theirs is parsed when an engine starts. A pack jar announces them with a {@value #MARKER}
 * resource: one line per listing of generated model classes (the listing kie-maven-plugin writes,
 * {@code META-INF/kie/<groupId>/<artifactId>/drools-model}: a version line, then one class name per
 * line). Each engine gets a KieBase of its own, so rules compiled at run time can be added to it.
 */
final class PrecompiledRules {

    static final String MARKER = "META-INF/kubeward/rules.model";
    /** Every engine's knowledge base, precompiled or not, tells facts apart by identity. */
    static final EqualityBehaviorOption EQUALITY = EqualityBehaviorOption.IDENTITY;
    /**
     * Property reactivity of DRL compiled when an engine starts: rules never modify facts, so it buys
     * nothing (and the DRL compiler warns on cross-pattern calls under it).
     */
    static final String PROPERTY_SPECIFIC = "ALLOWED";

    private final ClassLoader loader;
    private final List<Model> models;
    /** Rule names of the model, by package. */
    private final Map<String, Set<String>> rulesByPackage = new HashMap<>();
    /** The packages precompiled, those left out included. */
    private final Set<String> allPackages;
    /** The packages of the models kept. */
    private final Set<String> modelPackages = new HashSet<>();

    private PrecompiledRules(ClassLoader loader, List<Model> models, Set<String> packages) {
        this.loader = loader;
        this.models = List.copyOf(models);
        this.allPackages = Set.copyOf(packages);
        for (Model m : models) {
            modelPackages.add(m.getPackageName());
            for (Rule r : m.getRules()) {
                rulesByPackage.computeIfAbsent(r.getPackage(), p -> new HashSet<>()).add(r.getName());
            }
        }
    }

    /**
     * The precompiled packs on the class loader's path, those of the packages kept; empty when there
     * are none, or when a listing or a class it names is missing or does not load (the caller then
     * compiles the DRL instead). Packages left out still count in {@link #packages()}.
     */
    static Optional<PrecompiledRules> find(ClassLoader loader, Predicate<String> keepPackage) {
        List<String> classes = new ArrayList<>();
        try {
            Enumeration<URL> markers = loader.getResources(MARKER);
            while (markers.hasMoreElements()) {
                for (String listing : lines(markers.nextElement())) {
                    URL url = loader.getResource(listing);
                    if (url == null) {
                        return Optional.empty();
                    }
                    lines(url).stream().filter(l -> !l.contains(":")).forEach(classes::add);
                }
            }
            if (classes.isEmpty()) {
                return Optional.empty();
            }
            List<Model> all = instantiate(loader, classes);
            Set<String> packages = new TreeSet<>();
            all.forEach(m -> packages.add(m.getPackageName()));
            return Optional.of(new PrecompiledRules(loader, all.stream().filter(m -> keepPackage.test(m.getPackageName())).toList(), packages));
        } catch (IOException | ReflectiveOperationException | LinkageError | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * True when the DRL's package is precompiled with every rule the DRL declares (a file of
     * functions only is part of its package's model too).
     */
    boolean covers(DrlOutline drl) {
        Set<String> names = rulesByPackage.getOrDefault(drl.pack(), Set.of());
        return modelPackages.contains(drl.pack()) && drl.rules().stream().allMatch(r -> names.contains(r.name()));
    }

    boolean contains(String pack, String rule) {
        Set<String> names = rulesByPackage.get(pack);
        return names != null && names.contains(rule);
    }

    /** The DRL packages precompiled, the ones left out included. */
    Set<String> packages() {
        return allPackages;
    }

    int ruleCount() {
        return rulesByPackage.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * A knowledge base of the precompiled rules, with the equality {@link PolicyEngine} compiles DRL
     * with. Call it once: the knowledge base keeps parts of the model instances.
     *
     * <p>Property reactivity: with DRL to add, as the DRL is compiled ({@link #PROPERTY_SPECIFIC}),
     * since Drools refuses to merge two settings for one fact class. Alone, Drools' default: choosing
     * one takes a builder configuration, which loads the DRL compilers (a tenth of a second or more
     * at start), and it changes nothing here, as the fact classes have no setters and no rule
     * modifies a fact.
     *
     * @param drlToAdd whether DRL compiled at run time will be added
     */
    InternalKnowledgeBase newKieBase(boolean drlToAdd) {
        KieBaseConfiguration conf = KieServices.get().newKieBaseConfiguration(null, loader);
        conf.setOption(EQUALITY);
        if (!drlToAdd) {
            return KieBaseBuilder.createKieBaseFromModel(models, conf);
        }
        KnowledgeBuilderConfiguration builderConf = KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(null, loader);
        builderConf.setProperty("drools.propertySpecific", PROPERTY_SPECIFIC);
        return KieBaseBuilder.createKieBaseFromModel(models, conf, builderConf);
    }

    private static List<Model> instantiate(ClassLoader loader, List<String> classes) throws ReflectiveOperationException {
        List<Model> models = new ArrayList<>();
        for (String name : classes) {
            models.add((Model) Class.forName(name, true, loader).getConstructor().newInstance());
        }
        return models;
    }

    private static List<String> lines(URL url) throws IOException {
        String text;
        try (InputStream in = url.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
