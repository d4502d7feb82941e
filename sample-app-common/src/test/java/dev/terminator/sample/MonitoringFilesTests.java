package dev.terminator.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules in {@code docs/}: a dashboard made
 * for import, and rules Prometheus's own {@code promtool} accepts and whose unit tests
 * pass. That every metric they read is one the application exposes is checked on a real
 * scrape, in {@link PrometheusScrapeTests}.
 */
class MonitoringFilesTests {

	private static final String DATASOURCE = "${datasource}";

	@Test
	void dashboardAsksForItsPrometheusOnImport() throws IOException {
		Map<String, Object> dashboard = MonitoringFiles.dashboard();
		assertThat(list(dashboard.get("__inputs"))).singleElement()
			.satisfies((input) -> assertThat(map(input)).containsEntry("name", "DS_PROMETHEUS")
				.containsEntry("type", "datasource")
				.containsEntry("pluginId", "prometheus"));
		assertThat(dashboard).containsEntry("id", null);
		// The import's choice lands in the data source variable, which every panel uses:
		// switching it later needs no edit of the panels.
		List<Map<String, Object>> variables = variables(dashboard);
		assertThat(variables).extracting((variable) -> variable.get("name"))
			.containsExactly("datasource", "job", "instance");
		Map<String, Object> datasource = variables.get(0);
		assertThat(datasource).containsEntry("type", "datasource").containsEntry("query", "prometheus");
		assertThat(map(datasource.get("current"))).containsEntry("value", "${DS_PROMETHEUS}");
		for (Map<String, Object> variable : variables.subList(1, 3)) {
			assertThat(variable).containsEntry("type", "query");
			assertThat(map(variable.get("datasource"))).containsEntry("uid", DATASOURCE);
		}
	}

	@Test
	void everyPanelAndQueryReadsTheTemplatedDataSource() throws IOException {
		Map<String, Object> dashboard = MonitoringFiles.dashboard();
		List<Map<String, Object>> panels = panels(dashboard);
		assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
		for (Map<String, Object> panel : panels) {
			String title = (String) panel.get("title");
			assertThat(map(panel.get("datasource"))).as(title)
				.containsEntry("type", "prometheus")
				.containsEntry("uid", DATASOURCE);
			assertThat(list(panel.get("targets"))).as(title)
				.isNotEmpty()
				.allSatisfy(
						(target) -> assertThat(map(map(target).get("datasource"))).containsEntry("uid", DATASOURCE));
			assertThat((String) panel.get("description")).as(title).isNotBlank();
			assertThat(map(map(panel.get("fieldConfig")).get("defaults"))).as(title).containsKey("unit");
		}
		// No data source named or identified anywhere else: the dashboard imports into
		// any Grafana.
		List<Object> uids = new ArrayList<>();
		values(dashboard, "uid", uids);
		assertThat(uids).containsOnly("terminator-drains", DATASOURCE);
		assertThat(dashboard.get("uid")).isEqualTo("terminator-drains");
		List<Object> datasources = new ArrayList<>();
		values(dashboard, "datasource", datasources);
		assertThat(datasources).allSatisfy((value) -> assertThat(map(value)).containsEntry("uid", DATASOURCE));
	}

	@Test
	void metricNamesAreFoundAsPrometheusReadsThem() throws IOException {
		assertThat(MonitoringFiles.metricNames(
				"sum by (instance, reason) (rate(terminator_connections_closed_total{reason=\"forced\", job=~\"$job\"}"
						+ "[$__rate_interval])) / on(instance) group_left max_over_time(process_uptime_seconds[1h])"
						+ " > 0.8 * 1e9 and bool terminator_drain_seconds_count offset 5m"))
			.containsExactly("process_uptime_seconds", "terminator_connections_closed_total",
					"terminator_drain_seconds_count");
		assertThat(MonitoringFiles.dashboardExpressions()).hasSizeGreaterThanOrEqualTo(10);
	}

	@Test
	void alertRulesPassPromtoolsCheck() throws Exception {
		String output = promtool(MonitoringFiles.file(MonitoringFiles.ALERT_RULES).getParent(), "check", "rules",
				"terminator-alerts.yml");
		assertThat(output).contains("SUCCESS: 3 rules found");
	}

	@Test
	void alertRulesFireAndStaySilentAsTheirUnitTestsSay() throws Exception {
		String output = promtool(MonitoringFiles.file(MonitoringFiles.ALERT_RULES_TESTS).getParent(), "test", "rules",
				"terminator-alerts-test.yml");
		assertThat(output).contains("SUCCESS");
	}

	@Test
	void dashboardQueriesAreValidPromql(@TempDir Path directory) throws Exception {
		// promtool parses a recording rule's expression as Prometheus would: each query,
		// with Grafana's variables given values, becomes one.
		StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
		List<String> expressions = MonitoringFiles.dashboardExpressions();
		for (int i = 0; i < expressions.size(); i++) {
			String expression = expressions.get(i)
				.replace("$__rate_interval", "1m")
				.replace("$__range", "6h")
				.replace("$job", ".*")
				.replace("$instance", ".*");
			assertThat(expression).doesNotContain("$");
			rules.append("      - record: dashboard:query_")
				.append(i)
				.append("\n        expr: \"")
				.append(expression.replace("\\", "\\\\").replace("\"", "\\\""))
				.append("\"\n");
		}
		Files.writeString(directory.resolve("dashboard-queries.yml"), rules, StandardCharsets.UTF_8);
		String output = promtool(directory, "check", "rules", "dashboard-queries.yml");
		assertThat(output).contains("SUCCESS: " + expressions.size() + " rules found");
	}

	private static String promtool(Path directory, String... arguments) throws Exception {
		Optional<Path> promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((entry) -> !entry.isEmpty())
			.map((entry) -> Path.of(entry, "promtool"))
			.filter(Files::isExecutable)
			.findFirst();
		assumeTrue(promtool.isPresent(), "promtool is not on the PATH (Debian: apt-get install prometheus)");
		List<String> command = new ArrayList<>();
		command.add(promtool.get().toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private static List<Map<String, Object>> variables(Map<String, Object> dashboard) {
		return list(map(dashboard.get("templating")).get("list")).stream().map(MonitoringFilesTests::map).toList();
	}

	// Every panel that queries: rows hold none.
	private static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
		List<Map<String, Object>> panels = new ArrayList<>();
		for (Object element : list(dashboard.get("panels"))) {
			Map<String, Object> panel = map(element);
			if ("row".equals(panel.get("type"))) {
				list(panel.get("panels")).forEach((nested) -> panels.add(map(nested)));
			}
			else {
				panels.add(panel);
			}
		}
		return panels;
	}

	private static void values(Object node, String key, List<Object> found) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((name, value) -> {
				if (key.equals(name)) {
					found.add(value);
				}
				values(value, key, found);
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach((element) -> values(element, key, found));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	private static List<?> list(Object node) {
		assertThat(node).isInstanceOf(List.class);
		return (List<?>) node;
	}

}
