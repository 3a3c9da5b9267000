import { runService } from '@emporium/kit';
import { paymentService } from './app';

void runService(paymentService);
