import { runService } from '@emporium/kit';
import { logisticsService } from './app';

void runService(logisticsService);
