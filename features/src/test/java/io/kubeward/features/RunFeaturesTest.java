package io.kubeward.features;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs every feature under {@code io/kubeward/features} with the kubeward step library. */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("io/kubeward/features")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "io.kubeward.features")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "summary")
public class RunFeaturesTest {
}
